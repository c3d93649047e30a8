#include "ws_reader.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>

namespace ss::test {

WsReader::WsReader(int port, const std::string& target, const std::string& token) : ws_(io_) {
  boost::asio::ip::tcp::resolver resolver(io_);
  boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  ws_.set_option(boost::beast::websocket::stream_base::decorator(
      [token](boost::beast::websocket::request_type& request) {
        request.set(boost::beast::http::field::authorization, "Bearer " + token);
      }));
  ws_.handshake("127.0.0.1:" + std::to_string(port), target);
}

std::optional<nlohmann::json> WsReader::Next(std::chrono::milliseconds timeout) {
  if (closed_)
    return std::nullopt;
  buffer_.clear();
  bool done = false;
  boost::beast::error_code error;
  ws_.async_read(buffer_, [&](boost::beast::error_code e, std::size_t) {
    error = e;
    done = true;
  });
  io_.restart();
  io_.run_for(timeout);
  if (!done) {
    ws_.next_layer().cancel();
    io_.restart();
    io_.run();
    return std::nullopt;
  }
  if (error) {
    closed_ = true;
    return std::nullopt;
  }
  return nlohmann::json::parse(boost::beast::buffers_to_string(buffer_.data()));
}

}  // namespace ss::test
