// Non-streaming calls over cpprestsdk: pooled keep-alive connections, a timeout on every call,
// Retry-After on 429/503, and a token re-read after a 401.
#pragma once

#include <cpprest/http_client.h>

#include <memory>
#include <string>

#include "bearer_token.h"
#include "endpoint.h"
#include "kube/cancellation.h"
#include "kube/config.h"
#include "kube/error.h"

namespace ss::kube {

struct RestRequest {
  web::http::method method;
  std::string path_and_query;  // already percent-encoded
  std::string body;
  std::string content_type;
  bool honour_retry_after = true;
  Cancellation* cancellation = nullptr;
};

class RestTransport {
 public:
  RestTransport(const Config& config, const Endpoint& endpoint, std::shared_ptr<BearerToken> token);

  // The body of a 2xx answer, or the Error built from the answer's Status.
  Result<std::string> Send(const RestRequest& request);

 private:
  struct Answer {
    int status = 0;
    std::string body;
    std::string retry_after;
  };
  Result<Answer> SendOnce(const RestRequest& request, const std::string& token);

  const Config config_;
  const std::string base_path_;
  std::shared_ptr<BearerToken> token_;
  web::http::client::http_client client_;
};

// Sleeps for `duration` unless `cancellation` fires first; returns false when cancelled.
bool SleepUnlessCancelled(std::chrono::milliseconds duration, Cancellation* cancellation);

}  // namespace ss::kube
