#include "metrics/exposer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>

#include "process_metrics.h"

namespace ss::metrics {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr size_t kMaxRequestBytes = 8 * 1024;

// One scraper connection: read a request, answer, repeat while the client keeps it alive.
class ScrapeSession : public std::enable_shared_from_this<ScrapeSession> {
 public:
  ScrapeSession(tcp::socket socket, Registry& registry)
      : stream_(std::move(socket)), registry_(registry) {}

  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestBytes);
    parser_->body_limit(kMaxRequestBytes);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, size_t) {
                       if (!error)
                         self->Answer(self->parser_->release());
                     });
  }

 private:
  void Answer(const http::request<http::string_body>& request) {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request.version());
    response->keep_alive(request.keep_alive());
    const auto target = request.target();
    const auto path = target.substr(0, target.find('?'));
    if (path != "/metrics") {
      response->result(http::status::not_found);
      response->set(http::field::content_type, "text/plain; charset=utf-8");
      response->body() = "not found\n";
    } else if (request.method() != http::verb::get && request.method() != http::verb::head) {
      response->result(http::status::method_not_allowed);
      response->set(http::field::allow, "GET, HEAD");
      response->set(http::field::content_type, "text/plain; charset=utf-8");
      response->body() = "method not allowed\n";
    } else {
      response->result(http::status::ok);
      response->set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response->body() = registry_.Render() + detail::RenderProcessMetrics();
    }
    response->prepare_payload();
    if (request.method() == http::verb::head)
      response->body().clear();
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code error, size_t) {
                        if (error)
                          return;
                        if (response->keep_alive()) {
                          self->Read();
                        } else {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        }
                      });
  }

  beast::tcp_stream stream_;
  Registry& registry_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct Exposer::Impl {
  Impl(Registry& registry, const std::string& address, int port)
      : registry(registry), acceptor(io) {
    try {
      const tcp::endpoint endpoint(asio::ip::make_address(address), static_cast<uint16_t>(port));
      acceptor.open(endpoint.protocol());
      acceptor.set_option(asio::socket_base::reuse_address(true));
      acceptor.bind(endpoint);
      acceptor.listen();
    } catch (const boost::system::system_error& error) {
      throw std::runtime_error(fmt::format("metrics: cannot listen on {}:{}: {}", address, port,
                                           error.code().message()));
    }
    bound_port = acceptor.local_endpoint().port();
    Accept();
    thread = std::thread([this] { io.run(); });
  }

  void Accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error == asio::error::operation_aborted)
        return;
      if (!error) {
        std::make_shared<ScrapeSession>(std::move(socket), registry)->Read();
        Accept();
        return;
      }
      // Out of descriptors, say: try again a little later instead of spinning.
      spdlog::warn("metrics: accept failed: {}", error.message());
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](beast::error_code wait_error) {
        if (!wait_error)
          Accept();
      });
    });
  }

  Registry& registry;
  asio::io_context io{1};
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry{io};
  int bound_port = 0;
  std::thread thread;
};

Exposer::Exposer(Registry& registry, const std::string& address, int port)
    : impl_(std::make_unique<Impl>(registry, address, port)) {
  spdlog::info("metrics on http://{}:{}/metrics", address, impl_->bound_port);
}

Exposer::~Exposer() {
  // Stopping the io_context ends the thread; its pending handlers, and the sessions they hold,
  // are destroyed with it.
  impl_->io.stop();
  impl_->thread.join();
}

int Exposer::port() const {
  return impl_->bound_port;
}

}  // namespace ss::metrics
