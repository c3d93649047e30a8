#include "stream_transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>

#include "kube/line_splitter.h"

namespace ss::kube {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::size_t kErrorBodyLimit = 1 << 20;

// Runs the caller's io_context until the started operation sets `done`; false when the
// io_context was stopped, i.e. the call was cancelled.
bool RunUntil(net::io_context& io, const bool& done) {
  while (!done) {
    if (io.run_one() == 0) {
      return false;
    }
  }
  return true;
}

Error FromBeast(const beast::error_code& error, const char* stage) {
  if (error == beast::error::timeout) {
    return TransportError(Error::kReasonTimeout, std::string(stage) + " timed out");
  }
  return TransportError(Error::kReasonTransport, std::string(stage) + ": " + error.message());
}

Error Cancelled() {
  return TransportError(Error::kReasonCancelled, "stream cancelled");
}

struct Exchange {
  const std::string& target;
  const std::string& host_header;
  const std::string& token;
  const LineHandler& on_line;
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds idle_timeout;
};

// Sends the request and reads the streamed answer on a connected (and handshaken) stream.
template <class Stream>
Result<void> Converse(net::io_context& io, Stream& stream, const Exchange& x, bool& unauthorized) {
  auto& socket = beast::get_lowest_layer(stream);
  bool done = false;
  beast::error_code error;
  const auto complete = [&](beast::error_code ec, std::size_t) {
    error = ec;
    done = true;
  };
  http::request<http::empty_body> request{http::verb::get, x.target, 11};
  request.set(http::field::host, x.host_header);
  request.set(http::field::accept, "application/json");
  request.set(http::field::user_agent, "streamspace-kube/0.1");
  if (!x.token.empty()) {
    request.set(http::field::authorization, "Bearer " + x.token);
  }
  socket.expires_after(x.connect_timeout);
  http::async_write(stream, request, complete);
  if (!RunUntil(io, done)) {
    return Cancelled();
  }
  if (error) {
    return FromBeast(error, "sending the request");
  }
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  // A stream has no size limit. Not boost::none: Boost 1.74 compares a Content-Length against
  // the optional limit and takes "none" as smaller than any length.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  done = false;
  http::async_read_header(stream, buffer, parser, complete);
  if (!RunUntil(io, done)) {
    return Cancelled();
  }
  if (error) {
    return FromBeast(error, "reading the response header");
  }
  const int status = static_cast<int>(parser.get().result_int());
  const bool ok = status >= 200 && status < 300;
  std::string error_body;
  LineSplitter lines(x.on_line);
  char chunk[16384];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    if (x.idle_timeout.count() > 0 || !ok) {
      socket.expires_after(ok ? x.idle_timeout : x.connect_timeout);
    } else {
      socket.expires_never();
    }
    done = false;
    http::async_read_some(stream, buffer, parser, complete);
    if (!RunUntil(io, done)) {
      return Cancelled();
    }
    const std::size_t received = sizeof chunk - parser.get().body().size;
    if (ok) {
      if (!lines.Feed(chunk, received)) {
        return {};
      }
    } else if (error_body.size() < kErrorBodyLimit) {
      error_body.append(chunk, received);
    }
    if (error && error != http::error::need_buffer) {
      return FromBeast(error, "reading the stream");
    }
  }
  if (!ok) {
    unauthorized = status == 401;
    return ErrorFromResponse(status, error_body);
  }
  lines.Finish();
  return {};
}

}  // namespace

StreamTransport::StreamTransport(const Config& config, Endpoint endpoint,
                                 std::shared_ptr<BearerToken> token)
    : config_(config),
      endpoint_(std::move(endpoint)),
      token_(std::move(token)),
      ssl_(ssl::context::tls_client) {
  ConfigureTls(ssl_, config_);
}

Result<void> StreamTransport::StreamLines(const std::string& path_and_query,
                                          const LineHandler& on_line,
                                          std::chrono::milliseconds idle_timeout,
                                          Cancellation* cancellation) {
  std::string token = token_->Current();
  bool unauthorized = false;
  auto result =
      StreamOnce(path_and_query, token, on_line, idle_timeout, cancellation, unauthorized);
  if (unauthorized && token_->RereadAfterUnauthorized(token)) {
    unauthorized = false;
    result = StreamOnce(path_and_query, token_->Current(), on_line, idle_timeout, cancellation,
                        unauthorized);
  }
  return result;
}

Result<void> StreamTransport::StreamOnce(const std::string& path_and_query,
                                         const std::string& token, const LineHandler& on_line,
                                         std::chrono::milliseconds idle_timeout,
                                         Cancellation* cancellation, bool& unauthorized) {
  net::io_context io;
  // Without outstanding work an io_context stops itself between our operations; only Cancel()
  // may stop this one.
  const auto work = net::make_work_guard(io);
  Cancellation::Hook hook(cancellation, [&io] { io.stop(); });
  tcp::resolver resolver(io);
  bool done = false;
  beast::error_code error;
  tcp::resolver::results_type addresses;
  resolver.async_resolve(endpoint_.host, endpoint_.port,
                         [&](beast::error_code ec, tcp::resolver::results_type results) {
                           error = ec;
                           addresses = std::move(results);
                           done = true;
                         });
  if (!RunUntil(io, done)) {
    return Cancelled();
  }
  if (error) {
    return FromBeast(error, "resolving the server");
  }
  const bool ipv6 = endpoint_.host.find(':') != std::string::npos;
  const std::string host_header =
      (ipv6 ? "[" + endpoint_.host + "]" : endpoint_.host) + ":" + endpoint_.port;
  const std::string target = endpoint_.base_path + path_and_query;
  const Exchange exchange{target,      host_header, token, on_line, config_.stream_connect_timeout,
                          idle_timeout};
  const auto connect = [&](beast::tcp_stream& socket) -> Result<void> {
    socket.expires_after(config_.stream_connect_timeout);
    done = false;
    socket.async_connect(addresses, [&](beast::error_code ec, const tcp::endpoint&) {
      error = ec;
      done = true;
    });
    if (!RunUntil(io, done)) {
      return Cancelled();
    }
    if (error) {
      return FromBeast(error, "connecting");
    }
    return {};
  };
  if (!endpoint_.tls) {
    beast::tcp_stream stream(io);
    if (auto connected = connect(stream); !connected) {
      return connected;
    }
    return Converse(io, stream, exchange, unauthorized);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, ssl_);
  if (config_.insecure_skip_tls_verify) {
    stream.set_verify_mode(ssl::verify_none);
  } else {
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::host_name_verification(endpoint_.host));
  }
  beast::error_code address_error;
  net::ip::make_address(endpoint_.host, address_error);
  if (address_error) {  // SNI names a host, never an address
    SSL_set_tlsext_host_name(stream.native_handle(), endpoint_.host.c_str());
  }
  if (auto connected = connect(beast::get_lowest_layer(stream)); !connected) {
    return connected;
  }
  done = false;
  stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
    error = ec;
    done = true;
  });
  if (!RunUntil(io, done)) {
    return Cancelled();
  }
  if (error) {
    return FromBeast(error, "TLS handshake");
  }
  return Converse(io, stream, exchange, unauthorized);
}

}  // namespace ss::kube
