#include "http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace ss::test {
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void SetTimeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  const auto found = headers.find(Lower(name));
  return found == headers.end() ? "" : found->second;
}

nlohmann::json HttpResponse::Json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

HttpClient::HttpClient(std::string host, int port, bool keep_alive,
                       std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), keep_alive_(keep_alive), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

void HttpClient::Connect() {
  tcp::resolver resolver(io_);
  socket_.emplace(io_);
  boost::asio::connect(*socket_, resolver.resolve(host_, std::to_string(port_)));
  SetTimeout(*socket_, timeout_);
}

HttpResponse HttpClient::Send(const HttpRequest& request) {
  if (!socket_ || !keep_alive_)
    Connect();
  http::request<http::string_body> message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  message.set(http::field::host, host_ + ":" + std::to_string(port_));
  message.keep_alive(keep_alive_);
  for (const auto& [name, value] : request.headers)
    message.set(name, value);
  message.body() = request.body;
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" ||
      request.method == "PUT") {
    message.prepare_payload();
  }

  // A server may answer (413) and close before reading a large body: read its answer anyway.
  boost::system::error_code write_error;
  http::write(*socket_, message, write_error);

  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  // The answer to a HEAD announces a body that does not follow.
  parser.skip(request.method == "HEAD");
  boost::system::error_code read_error;
  http::read(*socket_, buffer, parser, read_error);
  if (read_error) {
    socket_.reset();
    throw boost::system::system_error(write_error ? write_error : read_error);
  }
  auto response = parser.release();
  HttpResponse result;
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    result.headers[Lower(std::string(field.name_string()))] = std::string(field.value());
  }
  result.body = std::move(response.body());
  if (!keep_alive_ || !response.keep_alive()) {
    boost::system::error_code ignored;
    socket_->shutdown(tcp::socket::shutdown_both, ignored);
    socket_.reset();
  }
  return result;
}

namespace {

HttpRequest Make(std::string method, std::string target, std::string body,
                 const std::string& token) {
  HttpRequest request{std::move(method), std::move(target), {}, std::move(body)};
  if (!request.body.empty())
    request.headers["Content-Type"] = "application/json";
  if (!token.empty())
    request.headers["Authorization"] = "Bearer " + token;
  return request;
}

}  // namespace

HttpResponse HttpClient::Get(const std::string& target, const std::string& token) {
  return Send(Make("GET", target, "", token));
}

HttpResponse HttpClient::Delete(const std::string& target, const std::string& token) {
  return Send(Make("DELETE", target, "", token));
}

HttpResponse HttpClient::Post(const std::string& target, const std::string& body,
                              const std::string& token) {
  return Send(Make("POST", target, body, token));
}

HttpResponse HttpClient::Patch(const std::string& target, const std::string& body,
                               const std::string& token) {
  return Send(Make("PATCH", target, body, token));
}

HttpResponse HttpClient::Put(const std::string& target, const std::string& body,
                             const std::string& token) {
  return Send(Make("PUT", target, body, token));
}

}  // namespace ss::test
