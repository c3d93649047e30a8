#include "kube/error.h"

#include <nlohmann/json.hpp>

namespace ss::kube {
namespace {

// Reasons a real API server would put in a Status for a bare HTTP status.
std::string ReasonForStatus(int http_status) {
  switch (http_status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "Unknown";
  }
}

}  // namespace

bool Error::IsDisruptionBudget() const {
  if (http_status != 429) {
    return false;
  }
  for (const StatusCause& cause : causes) {
    if (cause.reason == "DisruptionBudget") {
      return true;
    }
  }
  return message.find("disruption budget") != std::string::npos;
}

std::string Error::ToString() const {
  std::string text = http_status == 0 ? std::string("no response") : std::to_string(http_status);
  text.append(" ").append(reason);
  if (!message.empty()) {
    text.append(": ").append(message);
  }
  return text;
}

Error ErrorFromResponse(int http_status, const std::string& body) {
  Error error;
  error.http_status = http_status;
  error.code = http_status;
  const auto status = nlohmann::json::parse(body, nullptr, false);
  if (status.is_object() && status.value("kind", "") == "Status") {
    error.reason = status.value("reason", "");
    error.message = status.value("message", "");
    if (const auto code = status.find("code"); code != status.end() && code->is_number()) {
      error.code = code->get<int>();
    }
    if (const auto details = status.find("details");
        details != status.end() && details->is_object() && details->contains("causes")) {
      for (const auto& cause : (*details)["causes"]) {
        if (cause.is_object()) {
          error.causes.push_back(
              {cause.value("reason", ""), cause.value("message", ""), cause.value("field", "")});
        }
      }
    }
  } else {
    error.message = body.substr(0, 512);
  }
  if (error.reason.empty()) {
    error.reason = ReasonForStatus(http_status);
  }
  return error;
}

Error TransportError(const char* reason, std::string message) {
  Error error;
  error.reason = reason;
  error.message = std::move(message);
  return error;
}

}  // namespace ss::kube
