#include <cpprest/http_client.h>

#include "oidc/http.h"

namespace ss::oidc {
namespace {

constexpr std::size_t kMaxAnswerSize = 1 << 20;

std::string HostOf(const std::string& url) {
  try {
    return web::uri(url).host();
  } catch (const std::exception&) {
    return "an invalid URL";
  }
}

class CpprestTransport final : public HttpTransport {
 public:
  explicit CpprestTransport(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  Result<HttpAnswer> Get(const std::string& url) override {
    web::http::http_request request(web::http::methods::GET);
    return Send(url, std::move(request));
  }

  Result<HttpAnswer> PostForm(const std::string& url, const std::string& form,
                              const std::string& authorization) override {
    web::http::http_request request(web::http::methods::POST);
    request.set_body(form, "application/x-www-form-urlencoded");
    if (!authorization.empty())
      request.headers().add("Authorization", authorization);
    return Send(url, std::move(request));
  }

 private:
  Result<HttpAnswer> Send(const std::string& url, web::http::http_request request) {
    request.headers().add("Accept", "application/json");
    request.headers().add("User-Agent", "streamspace-oidc/0.1");
    web::http::client::http_client_config config;
    config.set_timeout(timeout_);
    // A redirected token request would carry the client secret to wherever it points.
    config.set_max_redirects(0);
    try {
      // A client per call: sign-ins are rare, and each URL may name another host.
      web::http::client::http_client client(web::uri(url), config);
      web::http::http_response response = client.request(request).get();
      if (response.headers().content_length() > kMaxAnswerSize)
        return TooLarge(url);
      HttpAnswer answer;
      answer.status = response.status_code();
      answer.body = response.extract_utf8string(true).get();
      if (answer.body.size() > kMaxAnswerSize)
        return TooLarge(url);
      return answer;
    } catch (const std::exception& error) {
      return MakeError(ErrorCode::kProviderUnavailable,
                       "cannot reach the OpenID provider at " + HostOf(url) + ": " + error.what());
    }
  }

  static Error TooLarge(const std::string& url) {
    return MakeError(ErrorCode::kProviderUnavailable,
                     "the OpenID provider at " + HostOf(url) + " answered more than 1 MiB");
  }

  const std::chrono::milliseconds timeout_;
};

}  // namespace

HttpTransportPtr MakeHttpTransport(std::chrono::milliseconds timeout) {
  return std::make_shared<CpprestTransport>(timeout);
}

}  // namespace ss::oidc
