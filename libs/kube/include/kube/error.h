// Every failure of a Kubernetes call is a value: the API's Status object (reason, code, message,
// causes) or a transport failure, carried by Result<T>.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace ss::kube {

// One entry of Status.details.causes (e.g. reason "DisruptionBudget" on a refused eviction).
struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;
};

// A failed call. `http_status` is 0 when no answer came back (connect, TLS, timeout, cancel);
// then `reason` is one of kReasonTransport, kReasonTimeout, kReasonCancelled or kReasonConfig.
struct Error {
  int http_status = 0;
  std::string reason;   // Status.reason: NotFound, Conflict, Expired, TooManyRequests, ...
  std::string message;  // Status.message
  int code = 0;         // Status.code (the HTTP status the server meant)
  std::vector<StatusCause> causes;

  static constexpr const char* kReasonTransport = "Transport";
  static constexpr const char* kReasonTimeout = "Timeout";
  static constexpr const char* kReasonCancelled = "Cancelled";
  static constexpr const char* kReasonConfig = "InvalidConfig";
  static constexpr const char* kReasonBadResponse = "BadResponse";

  bool IsNotFound() const { return http_status == 404; }
  bool IsAlreadyExists() const { return http_status == 409 && reason == "AlreadyExists"; }
  bool IsConflict() const { return http_status == 409 && reason != "AlreadyExists"; }
  // The resourceVersion is too old (HTTP 410, or an ERROR event with code 410): list again.
  bool IsGone() const { return http_status == 410 || code == 410; }
  bool IsUnauthorized() const { return http_status == 401; }
  bool IsForbidden() const { return http_status == 403; }
  bool IsTooManyRequests() const { return http_status == 429; }
  // An eviction refused because a PodDisruptionBudget allows no disruption now.
  bool IsDisruptionBudget() const;
  bool IsTimeout() const { return reason == kReasonTimeout || http_status == 504; }
  bool IsCancelled() const { return http_status == 0 && reason == kReasonCancelled; }
  bool IsTransport() const { return http_status == 0; }

  // "409 Conflict: <message>" for logs.
  std::string ToString() const;
};

// Builds an Error from an HTTP status and a response body (a Status JSON, or anything else).
Error ErrorFromResponse(int http_status, const std::string& body);
// An Error for a failure without an HTTP answer.
Error TransportError(const char* reason, std::string message);

// Either a value or an Error (core/result.h).
template <class T>
using Result = core::Result<T, Error>;

}  // namespace ss::kube
