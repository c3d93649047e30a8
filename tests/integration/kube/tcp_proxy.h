// A loopback TCP relay in front of the emulator, so a test can cut every connection (a dropped
// watch) and refuse new ones for a while (changes happen while the client is away).
#pragma once

#include <boost/asio.hpp>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ss::kube::testing {

class TcpProxy {
 public:
  explicit TcpProxy(int upstream_port);
  ~TcpProxy();

  int port() const { return port_; }
  // Closes every relayed connection and refuses new ones until Resume().
  void DropAndRefuse();
  void Resume();

 private:
  struct Pipe;
  void Accept();

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int upstream_port_;
  int port_ = 0;
  bool refusing_ = false;  // only touched on the io thread
  std::vector<std::weak_ptr<Pipe>> pipes_;
  std::thread thread_;
};

}  // namespace ss::kube::testing
