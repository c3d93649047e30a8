#include "rest_transport.h"

#include <condition_variable>
#include <thread>

namespace ss::kube {
namespace {

web::http::client::http_client_config ClientConfig(const Config& config) {
  web::http::client::http_client_config client_config;
  client_config.set_timeout(config.request_timeout);
  client_config.set_validate_certificates(!config.insecure_skip_tls_verify);
  client_config.set_ssl_context_callback(
      [config](boost::asio::ssl::context& context) { ConfigureTls(context, config); });
  return client_config;
}

std::string BaseUri(const Endpoint& endpoint) {
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  return std::string(endpoint.tls ? "https://" : "http://") +
         (ipv6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + endpoint.port;
}

std::chrono::milliseconds RetryAfter(const std::string& header, std::chrono::milliseconds cap) {
  long seconds = 1;
  try {
    seconds = std::max(0L, std::stol(header));
  } catch (const std::exception&) {
    seconds = 1;  // an HTTP-date: rare from an API server, wait a second
  }
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), cap);
}

}  // namespace

bool SleepUnlessCancelled(std::chrono::milliseconds duration, Cancellation* cancellation) {
  std::mutex mutex;
  std::condition_variable woken;
  bool interrupted = false;
  Cancellation::Hook hook(cancellation, [&] {
    std::lock_guard lock(mutex);
    interrupted = true;
    woken.notify_all();
  });
  std::unique_lock lock(mutex);
  woken.wait_for(lock, duration, [&] { return interrupted; });
  return !interrupted;
}

RestTransport::RestTransport(const Config& config, const Endpoint& endpoint,
                             std::shared_ptr<BearerToken> token)
    : config_(config),
      base_path_(endpoint.base_path),
      token_(std::move(token)),
      client_(BaseUri(endpoint), ClientConfig(config)) {}

Result<RestTransport::Answer> RestTransport::SendOnce(const RestRequest& request,
                                                      const std::string& token) {
  web::http::http_request message(request.method);
  message.set_request_uri(web::uri(base_path_ + request.path_and_query));
  message.headers().add("Accept", "application/json");
  message.headers().add("User-Agent", "streamspace-kube/0.1");
  if (!token.empty()) {
    message.headers().add("Authorization", "Bearer " + token);
  }
  if (!request.content_type.empty()) {
    message.set_body(request.body, request.content_type);
  }
  pplx::cancellation_token_source cancel_source;
  Cancellation::Hook hook(request.cancellation, [cancel_source] { cancel_source.cancel(); });
  try {
    web::http::http_response response = client_.request(message, cancel_source.get_token()).get();
    Answer answer;
    answer.status = response.status_code();
    answer.body = response.extract_utf8string(true).get();
    if (const auto it = response.headers().find("Retry-After"); it != response.headers().end()) {
      answer.retry_after = it->second;
    }
    return answer;
  } catch (const pplx::task_canceled&) {
    return TransportError(Error::kReasonCancelled, "request cancelled");
  } catch (const web::http::http_exception& e) {
    if (e.error_code() == std::errc::timed_out) {
      return TransportError(Error::kReasonTimeout, "no answer within the request timeout");
    }
    if (e.error_code() == std::errc::operation_canceled && request.cancellation != nullptr &&
        request.cancellation->IsCancelled()) {
      return TransportError(Error::kReasonCancelled, "request cancelled");
    }
    return TransportError(Error::kReasonTransport, e.what());
  } catch (const std::exception& e) {
    return TransportError(Error::kReasonTransport, e.what());
  }
}

Result<std::string> RestTransport::Send(const RestRequest& request) {
  std::string token = token_->Current();
  bool reread = false;
  for (int attempt = 0;; ++attempt) {
    auto answer = SendOnce(request, token);
    if (!answer) {
      return answer.error();
    }
    const int status = answer->status;
    if (status >= 200 && status < 300) {
      return std::move(answer->body);
    }
    if (status == 401 && !reread && token_->RereadAfterUnauthorized(token)) {
      reread = true;  // the token rotated under us: one more try with the new one
      token = token_->Current();
      continue;
    }
    const bool retryable = (status == 429 || status == 503) && request.honour_retry_after &&
                           !answer->retry_after.empty() && attempt < config_.max_retries;
    if (!retryable) {
      return ErrorFromResponse(status, answer->body);
    }
    if (!SleepUnlessCancelled(RetryAfter(answer->retry_after, config_.max_retry_after),
                              request.cancellation)) {
      return TransportError(Error::kReasonCancelled, "request cancelled");
    }
  }
}

}  // namespace ss::kube
