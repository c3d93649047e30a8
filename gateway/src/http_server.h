// The HTTP/1.1 side: a listener and one session per connection on a small pool of io_context
// threads (Beast's advanced server idiom: lifetime by shared_from_this, a timeout on every
// stage, keep-alive). What to answer is the RequestHandler's business.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ss::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
// Delivers the answer to a request; callable from any thread, exactly once.
using Responder = std::function<void(HttpResponse)>;
// A connection's socket, bound to the io_context of its thread.
using Socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
// Takes a connection over from HTTP (a WebSocket upgrade); runs on the connection's thread.
using Upgrader = std::function<void(Socket socket)>;

// Beast 1.74 speaks boost::string_view; the rest of the gateway std::string_view.
inline std::string_view ToStd(boost::beast::string_view text) {
  return {text.data(), text.size()};
}
inline boost::beast::string_view ToBeast(std::string_view text) {
  return {text.data(), text.size()};
}

// Calls `item` with each element of the `separator`-separated lists of every `field` header of
// the request (Sec-WebSocket-Protocol: ',', Cookie: ';'), spaces and tabs trimmed, until `item`
// returns true.
template <typename Item>
void ForEachHeaderItem(const HttpRequest& request, boost::beast::http::field field, char separator,
                       Item&& item) {
  const auto [first, last] = request.equal_range(field);
  for (auto header = first; header != last; ++header) {
    auto list = ToStd(header->value());
    while (!list.empty()) {
      const auto end = list.find(separator);
      auto element = list.substr(0, end);
      list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
      while (!element.empty() && (element.front() == ' ' || element.front() == '\t'))
        element.remove_prefix(1);
      while (!element.empty() && (element.back() == ' ' || element.back() == '\t'))
        element.remove_suffix(1);
      if (item(element))
        return;
    }
  }
}

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Answers a request read whole. Must not block: slow work completes through `respond`. Or,
  // for a request that upgrades the connection, returns the Upgrader that takes the connection
  // over, without calling `respond`; otherwise returns an empty Upgrader.
  virtual Upgrader Handle(HttpRequest request, std::string_view client_address,
                          Responder respond) = 0;
  // The answer to a request that could not be read: 413 when the body is over the limit, 400 when
  // it is malformed. `partial` holds what was parsed of it.
  virtual HttpResponse Refuse(const HttpRequest& partial, int http_status,
                              std::string_view client_address) = 0;
};

struct HttpServerOptions {
  std::string address = "0.0.0.0";
  // 0 picks a free port.
  int port = 8000;
  int threads = 2;
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 << 10;
  // A kept-alive connection may wait this long for its next request.
  std::chrono::milliseconds idle_timeout{60000};
  // Reading a request's body, and writing an answer, may take this long.
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
};

class Session;

class HttpServer {
 public:
  // Binds the port; throws boost::system::system_error if it cannot.
  HttpServer(const HttpServerOptions& options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // The first io thread's context (timers of the gateway's own background work).
  boost::asio::io_context& context() { return workers_.front()->context; }
  // Every io thread's context, one per thread.
  std::vector<boost::asio::io_context*> contexts() const;

  // Starts accepting and the io threads.
  void Start();

  // Stops accepting, closes idle connections, lets requests in flight be answered (for at most
  // `grace`), then stops the io threads.
  void Shutdown(std::chrono::milliseconds grace);

  // Session bookkeeping (called by sessions).
  const HttpServerOptions& options() const { return options_; }
  RequestHandler& handler() { return handler_; }
  std::atomic<int>& in_flight() { return in_flight_; }

 private:
  // One io_context per thread, each connection on one of them: no strands, no lock shared by
  // the io threads on the hot path.
  struct Worker {
    boost::asio::io_context context{1};
    // Keeps the thread running while answers are awaited from gRPC with nothing else pending
    // (as during a drain, once the acceptor is closed).
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::thread thread;
  };

  void Accept();
  void Track(const std::shared_ptr<Session>& session);

  HttpServerOptions options_;
  RequestHandler& handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::size_t next_worker_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;
};

}  // namespace ss::gateway
