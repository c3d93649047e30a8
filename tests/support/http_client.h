// A small synchronous HTTP/1.1 client over Boost.Beast for tests: one request, one response, a new
// connection each time unless keep-alive is asked for.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ss::test {

// Header names are matched case-insensitively; stored lower-case.
using Headers = std::map<std::string, std::string>;

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // The header's value, or "" when absent.
  std::string Header(const std::string& name) const;
  // The body as JSON; a discarded value (is_discarded()) when it is not JSON.
  nlohmann::json Json() const;
};

class HttpClient {
 public:
  HttpClient(std::string host, int port, bool keep_alive = false,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws boost::system::system_error when no response could be read.
  HttpResponse Send(const HttpRequest& request);

  HttpResponse Get(const std::string& target, const std::string& token = "");
  HttpResponse Delete(const std::string& target, const std::string& token = "");
  // Content-Type: application/json.
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::string& token = "");
  HttpResponse Patch(const std::string& target, const std::string& body,
                     const std::string& token = "");
  HttpResponse Put(const std::string& target, const std::string& body,
                   const std::string& token = "");

 private:
  void Connect();

  std::string host_;
  int port_;
  bool keep_alive_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context io_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
};

}  // namespace ss::test
