// Every failure of a Kubernetes call is a value: the API's Status object (reason, code, message,
// causes) or a transport failure, carried by Result<T>.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

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

// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace ss::kube
