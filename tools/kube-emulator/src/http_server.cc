#include "http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kubeemu {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
        std::isxdigit(text[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

HttpRequest Convert(const http::request<http::string_body>& req) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  const std::string_view target(req.target().data(), req.target().size());
  const size_t q = target.find('?');
  out.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const size_t eq = pair.find('=');
      out.query[PercentDecode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
      query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    }
  }
  for (const auto& field : req) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    // Repeated fields (Impersonate-Group) are joined with commas, as HTTP allows.
    const auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) {
      it->second += "," + std::string(field.value());
    }
  }
  out.body = req.body();
  return out;
}

template <class Stream>
class ChunkSink final : public StreamSink {
 public:
  explicit ChunkSink(Stream& stream) : stream_(stream) {}
  bool Write(std::string_view chunk) override {
    boost::system::error_code ec;
    net::write(stream_, http::make_chunk(net::buffer(chunk.data(), chunk.size())), ec);
    return !ec;
  }

 private:
  Stream& stream_;
};

template <class Stream>
void Serve(Stream& stream, const HttpServer::Handler& handler) {
  boost::beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) {
      return;
    }
    const auto& req = parser.get();
    HttpResponse res = handler(Convert(req));
    spdlog::debug("{} {} -> {}", std::string(req.method_string()), std::string(req.target()),
                  res.status);
    if (res.stream) {
      http::response<http::empty_body> head{static_cast<http::status>(res.status), req.version()};
      head.set(http::field::content_type, res.content_type);
      head.set(http::field::cache_control, "no-cache, private");
      head.chunked(true);
      http::response_serializer<http::empty_body> serializer{head};
      http::write_header(stream, serializer, ec);
      if (ec) {
        return;
      }
      ChunkSink<Stream> sink(stream);
      res.stream(sink);
      net::write(stream, http::make_chunk_last(), ec);
      if (ec) {
        return;
      }
      continue;
    }
    http::response<http::string_body> out{static_cast<http::status>(res.status), req.version()};
    out.set(http::field::content_type, res.content_type);
    out.set(http::field::cache_control, "no-cache, private");
    for (const auto& [name, value] : res.headers) {
      out.set(name, value);
    }
    out.body() = std::move(res.body);
    out.keep_alive(req.keep_alive());
    out.prepare_payload();
    http::write(stream, out, ec);
    if (ec || !out.keep_alive()) {
      return;
    }
  }
}

}  // namespace

struct HttpServer::Impl {
  Handler handler;
  net::io_context io;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<ssl::context>> contexts;

  tcp::acceptor& Bind(const std::string& address, unsigned short port) {
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    const tcp::endpoint endpoint{net::ip::make_address(address), port};
    acceptor->open(endpoint.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen();
    acceptors.push_back(std::move(acceptor));
    return *acceptors.back();
  }

  void AcceptLoop(tcp::acceptor& acceptor, std::shared_ptr<ssl::context> tls) {
    while (acceptor.is_open()) {
      boost::system::error_code ec;
      tcp::socket socket(io);
      acceptor.accept(socket, ec);
      if (ec) {
        if (!acceptor.is_open()) {
          return;
        }
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      std::thread([this, tls, socket = std::move(socket)]() mutable {
        if (tls == nullptr) {
          Serve(socket, handler);
          boost::system::error_code ignored;
          socket.shutdown(tcp::socket::shutdown_both, ignored);
          return;
        }
        ssl::stream<tcp::socket> stream(std::move(socket), *tls);
        boost::system::error_code ec;
        stream.handshake(ssl::stream_base::server, ec);
        if (ec) {
          spdlog::debug("TLS handshake failed: {}", ec.message());
          return;
        }
        Serve(stream, handler);
        stream.shutdown(ec);
      }).detach();
    }
  }
};

HttpServer::HttpServer(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() {
  for (auto& acceptor : impl_->acceptors) {
    boost::system::error_code ec;
    acceptor->close(ec);
  }
  for (auto& t : impl_->threads) {
    t.join();
  }
}

unsigned short HttpServer::ListenTls(const std::string& address, unsigned short port,
                                     const TlsMaterial& tls) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  context->use_certificate_chain(net::buffer(tls.server_cert));
  context->use_private_key(net::buffer(tls.server_key), ssl::context::pem);
  tcp::acceptor& acceptor = impl_->Bind(address, port);
  impl_->threads.emplace_back([this, &acceptor, context] { impl_->AcceptLoop(acceptor, context); });
  return acceptor.local_endpoint().port();
}

unsigned short HttpServer::ListenPlain(const std::string& address, unsigned short port) {
  tcp::acceptor& acceptor = impl_->Bind(address, port);
  impl_->threads.emplace_back([this, &acceptor] { impl_->AcceptLoop(acceptor, nullptr); });
  return acceptor.local_endpoint().port();
}

}  // namespace kubeemu
