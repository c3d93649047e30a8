// The outbound HTTP a relying party makes (discovery, JWKS, token endpoint), behind an interface
// so that the verification logic can be tested without a server.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "oidc/error.h"

namespace ss::oidc {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// Implementations are thread-safe: many sign-ins may call at once. Any HTTP status is an
// answer; only a failure to get one (connect, TLS, timeout, oversized body) is an Error
// (kProviderUnavailable). Errors name the URL's host, never the body sent.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // GET with Accept: application/json.
  virtual Result<HttpAnswer> Get(const std::string& url) = 0;
  // POST of an application/x-www-form-urlencoded body with the given Authorization header.
  virtual Result<HttpAnswer> PostForm(const std::string& url, const std::string& form,
                                      const std::string& authorization) = 0;
};

using HttpTransportPtr = std::shared_ptr<HttpTransport>;

// cpprestsdk's http_client with `timeout` per call, the system's CA store for HTTPS, redirects
// not followed, and answers larger than 1 MiB refused.
HttpTransportPtr MakeHttpTransport(std::chrono::milliseconds timeout);

}  // namespace ss::oidc
