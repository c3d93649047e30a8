#include "http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

namespace ss::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Executor = net::io_context::executor_type;
using Stream = beast::basic_stream<tcp, Executor>;

namespace {

// The whole answer in one buffer, written with one call.
void Serialize(const HttpResponse& response, unsigned version, std::string& out) {
  out.clear();
  out.reserve(128 + response.body().size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.result_int());
  out += ' ';
  out += ToStd(response.reason());
  out += "\r\n";
  for (const auto& field : response) {
    out += ToStd(field.name_string());
    out += ": ";
    out += ToStd(field.value());
    out += "\r\n";
  }
  out += "\r\n";
  out += response.body();
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Stream::socket_type socket, HttpServer& server)
      : stream_(std::move(socket)), server_(server) {
    boost::system::error_code error;
    stream_.socket().set_option(tcp::no_delay(true), error);
    const auto peer = stream_.socket().remote_endpoint(error);
    if (!error)
      client_address_ = peer.address().to_string();
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Closes the connection if it waits for a request; otherwise after the answer in flight.
  void Stop() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_)
        self->stream_.cancel();
    });
  }

 private:
  void ReadHeader() {
    if (stopping_)
      return Close();
    parser_.emplace();
    parser_->body_limit(server_.options().body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().header_limit));
    stream_.expires_after(server_.options().idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code error, std::size_t) {
    if (error)
      return OnReadError(error);
    if (parser_->is_done())
      return Dispatch();
    stream_.expires_after(server_.options().read_timeout);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      // The client holds its body back until it hears this.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code error, std::size_t) {
                         if (error)
                           return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code error, std::size_t) {
    if (error)
      return OnReadError(error);
    Dispatch();
  }

  void OnReadError(beast::error_code error) {
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == net::error::operation_aborted || error == net::error::connection_reset ||
        error == net::error::eof || stopping_) {
      return Close();
    }
    // The rest of the request is unread: answer, then stop reading from this connection.
    const int status = error == http::error::body_limit ? 413 : 400;
    Begin();
    keep_alive_ = false;
    head_ = false;
    Write(server_.handler().Refuse(parser_->get(), status, client_address_), true);
  }

  void Begin() {
    busy_ = true;
    ++server_.in_flight();
    stream_.expires_never();
  }

  void Dispatch() {
    Begin();
    keep_alive_ = parser_->get().keep_alive();
    version_ = parser_->get().version();
    head_ = parser_->get().method() == http::verb::head;
    // An answer given at once (on this thread) is written at once; one from a gRPC thread comes
    // back to this connection's thread first.
    auto upgrade = server_.handler().Handle(
        parser_->release(), client_address_, [self = shared_from_this()](HttpResponse response) {
          net::dispatch(self->stream_.get_executor(),
                        [self, response = std::move(response)]() mutable {
                          self->Write(std::move(response), false);
                        });
        });
    if (upgrade) {
      // The connection is the upgrader's now: this session ends here.
      busy_ = false;
      --server_.in_flight();
      upgrade(stream_.release_socket());
    }
  }

  void Write(HttpResponse response, bool linger) {
    response.keep_alive(keep_alive_ && !stopping_);
    response.prepare_payload();
    // The answer to a HEAD is that of the GET (its Content-Length included) without the body.
    if (head_)
      response.body().clear();
    close_after_write_ = !response.keep_alive();
    Serialize(response, version_, output_);
    stream_.expires_after(server_.options().write_timeout);
    net::async_write(stream_, net::buffer(output_),
                     [self = shared_from_this(), linger](beast::error_code error, std::size_t) {
                       self->OnWrite(error, linger);
                     });
  }

  void OnWrite(beast::error_code error, bool linger) {
    busy_ = false;
    --server_.in_flight();
    if (error)
      return Close();
    if (linger)
      return Linger();
    if (close_after_write_)
      return Close();
    ReadHeader();
  }

  // After refusing a request whose body is still arriving: stop sending and read the rest for a
  // moment, so that the client gets to read the answer instead of a reset.
  void Linger() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    lingered_ = 0;
    stream_.expires_after(std::chrono::seconds(2));
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code error, std::size_t n) {
                              self->lingered_ += n;
                              if (error || self->lingered_ > (8u << 20) || self->stopping_)
                                return;
                              self->DrainSome();
                            });
  }

  void Close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  Stream stream_;
  HttpServer& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string output_;
  std::string client_address_;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  unsigned version_ = 11;
  bool head_ = false;
  bool busy_ = false;
  bool stopping_ = false;
  std::size_t lingered_ = 0;
  std::array<char, 8192> drain_{};
};

HttpServer::HttpServer(const HttpServerOptions& options, RequestHandler& handler)
    : options_(options),
      handler_(handler),
      workers_([&] {
        std::vector<std::unique_ptr<Worker>> workers;
        for (int i = 0; i < std::max(1, options.threads); ++i) {
          workers.push_back(std::make_unique<Worker>());
        }
        return workers;
      }()),
      acceptor_(workers_.front()->context) {
  const tcp::endpoint endpoint(net::ip::make_address(options.address),
                               static_cast<unsigned short>(options.port));
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

HttpServer::~HttpServer() {
  if (workers_.front()->thread.joinable())
    Shutdown(std::chrono::milliseconds(0));
}

std::vector<net::io_context*> HttpServer::contexts() const {
  std::vector<net::io_context*> contexts;
  for (const auto& worker : workers_)
    contexts.push_back(&worker->context);
  return contexts;
}

void HttpServer::Start() {
  Accept();
  for (auto& worker : workers_) {
    worker->work.emplace(worker->context.get_executor());
    worker->thread = std::thread([context = &worker->context] { context->run(); });
  }
}

void HttpServer::Accept() {
  auto& worker = *workers_[next_worker_++ % workers_.size()];
  acceptor_.async_accept(worker.context,
                         [this](beast::error_code error, Stream::socket_type socket) {
                           if (error == net::error::operation_aborted || stopping_)
                             return;
                           if (error) {
                             spdlog::warn("accept failed: {}", error.message());
                           } else {
                             auto session = std::make_shared<Session>(std::move(socket), *this);
                             Track(session);
                             session->Start();
                           }
                           Accept();
                         });
}

void HttpServer::Track(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex_);
  std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
  sessions_.push_back(session);
}

void HttpServer::Shutdown(std::chrono::milliseconds grace) {
  stopping_ = true;
  net::dispatch(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock())
        session->Stop();
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& worker : workers_) {
    worker->work.reset();
    worker->context.stop();
  }
  for (auto& worker : workers_) {
    if (worker->thread.joinable())
      worker->thread.join();
  }
}

}  // namespace ss::gateway
