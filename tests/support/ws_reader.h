// A WebSocket client of the gateway for tests: bearer token in the Authorization header (or what
// a browser sends: a cookie and an Origin), one message at a time, read synchronously with a
// timeout.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ss::test {

// What the upgrade request carries besides the Host header (the {} let designated initializers
// leave members out under -Wextra).
struct WsOptions {
  // Authorization: Bearer <token>.
  std::string token{};
  // Cookie and Origin, as a browser sends them.
  std::string cookie{};
  std::string origin{};
  // Sec-WebSocket-Protocol.
  std::string subprotocol{};
};

class WsReader {
 public:
  // Throws boost::system::system_error when the upgrade is refused.
  WsReader(int port, const std::string& target, const std::string& token);
  WsReader(int port, const std::string& target, const WsOptions& options);
  // The next message, or nullopt when the server closed the socket (see close_reason()) or
  // nothing came within `timeout`.
  std::optional<nlohmann::json> Next(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // The subprotocol the server chose ("" for none).
  const std::string& subprotocol() const { return subprotocol_; }
  bool closed() const { return closed_; }
  boost::beast::websocket::close_reason close_reason() const { return ws_.reason(); }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  bool closed_ = false;
  std::string subprotocol_;
};

}  // namespace ss::test
