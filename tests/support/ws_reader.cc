#include "ws_reader.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>

namespace ss::test {

WsReader::WsReader(int port, const std::string& target, const std::string& token)
    : WsReader(port, target, WsOptions{token, "", "", ""}) {}

WsReader::WsReader(int port, const std::string& target, const WsOptions& options) : ws_(io_) {
  namespace http = boost::beast::http;
  boost::asio::ip::tcp::resolver resolver(io_);
  boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  ws_.set_option(boost::beast::websocket::stream_base::decorator(
      [options](boost::beast::websocket::request_type& request) {
        if (!options.token.empty())
          request.set(http::field::authorization, "Bearer " + options.token);
        if (!options.cookie.empty())
          request.set(http::field::cookie, options.cookie);
        if (!options.origin.empty())
          request.set(http::field::origin, options.origin);
        if (!options.subprotocol.empty())
          request.set(http::field::sec_websocket_protocol, options.subprotocol);
      }));
  boost::beast::websocket::response_type response;
  ws_.handshake(response, "127.0.0.1:" + std::to_string(port), target);
  subprotocol_ = std::string(response[http::field::sec_websocket_protocol]);
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
