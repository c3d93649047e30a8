// The one mapping of Kubernetes failures to gRPC codes, keyed by the Status reason.
#include "kube/grpc_status.h"

#include <catch2/catch.hpp>

namespace ss::kube {
namespace {

Error ApiError(int http_status, std::string reason, std::string message = "refused") {
  Error error;
  error.http_status = http_status;
  error.code = http_status;
  error.reason = std::move(reason);
  error.message = std::move(message);
  return error;
}

grpc::StatusCode CodeOf(const Error& error) {
  return ToGrpcStatus(error, "node a").error_code();
}

}  // namespace

TEST_CASE("Kubernetes reasons map to the caller's gRPC codes") {
  CHECK(CodeOf(ApiError(404, "NotFound")) == grpc::StatusCode::NOT_FOUND);
  CHECK(CodeOf(ApiError(409, "AlreadyExists")) == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(CodeOf(ApiError(409, "Conflict")) == grpc::StatusCode::ABORTED);
  CHECK(CodeOf(ApiError(422, "Invalid")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(CodeOf(ApiError(400, "BadRequest")) == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("our own misconfiguration is INTERNAL, never the caller's fault") {
  CHECK(CodeOf(ApiError(403, "Forbidden")) == grpc::StatusCode::INTERNAL);
  CHECK(CodeOf(ApiError(401, "Unauthorized")) == grpc::StatusCode::INTERNAL);
  CHECK(CodeOf(ApiError(405, "MethodNotAllowed")) == grpc::StatusCode::INTERNAL);
  const grpc::Status status = ToGrpcStatus(ApiError(403, "Forbidden", "secret rbac text"), "x");
  CHECK(status.error_message().find("rbac") == std::string::npos);
}

TEST_CASE("throttling, server errors and transport failures are UNAVAILABLE") {
  CHECK(CodeOf(ApiError(429, "TooManyRequests")) == grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(ApiError(500, "InternalError")) == grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(ApiError(503, "ServiceUnavailable")) == grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(ApiError(504, "Timeout")) == grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(ApiError(502, "Unknown")) == grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(TransportError(Error::kReasonTransport, "connection refused")) ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(TransportError(Error::kReasonTimeout, "no answer")) ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(CodeOf(TransportError(Error::kReasonCancelled, "stopped")) == grpc::StatusCode::CANCELLED);
}

TEST_CASE("messages name the object and carry the API server's reason for bad input") {
  CHECK(ToGrpcStatus(ApiError(404, "NotFound"), "node a").error_message() == "node a not found");
  CHECK(ToGrpcStatus(ApiError(422, "Invalid", "spec.x: Required value"), "session s")
            .error_message() == "session s: spec.x: Required value");
}

}  // namespace ss::kube
