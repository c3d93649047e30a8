// Failures as HTTP answers: the status of DESIGN.md's table and the one error body.
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace ss::gateway {

struct ErrorResponse {
  int http_status = 500;
  std::string body;
  // Seconds for a Retry-After header; empty for none.
  std::string retry_after;
  // UNAUTHENTICATED answers carry `WWW-Authenticate: Bearer`.
  bool www_authenticate = false;
};

// The answer for a status, with HTTP status from core::HttpStatusFor.
ErrorResponse ErrorFor(const grpc::Status& status);

// The answer for a failed backend call: the code and message only. Statuses that the transport
// may have produced (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS) get
// a fixed message, so that no address or stack of ours reaches the client. `retry_after` is the
// backend's trailing "retry-after" metadata; it is kept only when it is a number of seconds.
ErrorResponse BackendErrorFor(const grpc::Status& status, std::string_view retry_after);

// The message of BackendErrorFor: the backend's own, or a fixed one for the statuses that the
// transport may have produced.
std::string ClientMessageFor(const grpc::Status& status);

// The gateway's own refusals, whose HTTP status is not the code's usual one (413 with code 8).
ErrorResponse GatewayError(int http_status, grpc::StatusCode code, std::string_view message);

}  // namespace ss::gateway
