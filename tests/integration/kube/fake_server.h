// A scripted plain-HTTP server for what the emulator cannot be made to do on demand: Retry-After
// answers, watch events split at awkward places, a server that never answers, connection counts.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ss::kube::testing {

struct FakeRequest {
  std::string method;
  std::string target;
  std::string body;
  int sequence = 0;  // 0 for the server's first request, 1 for the second, ...
};

class FakeServer {
 public:
  // The handler writes the raw HTTP answer on the socket, in as many pieces as it likes.
  using Handler = std::function<void(const FakeRequest&, boost::asio::ip::tcp::socket&)>;

  explicit FakeServer(Handler handler);
  ~FakeServer();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

  static void Write(boost::asio::ip::tcp::socket& socket, std::string_view data);
  // A complete answer with Content-Length.
  static std::string Answer(int status, std::string_view body, std::string_view extra_headers = {});
  // One chunk of a chunked body.
  static std::string Chunk(std::string_view data);

 private:
  void Serve(boost::asio::ip::tcp::socket socket);

  Handler handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
  std::thread acceptor_thread_;
};

}  // namespace ss::kube::testing
