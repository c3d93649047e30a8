// The one error table: a gRPC status code maps to one HTTP status, and every failure on the wire
// is a google.rpc.Status body {"code", "message", "details"}.
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace ss::core {

// The HTTP status for a gRPC code (DESIGN.md, API conventions).
int HttpStatusFor(grpc::StatusCode code);

// {"code": <code>, "message": "<message>", "details": []} with the message JSON-escaped.
std::string ErrorBody(grpc::StatusCode code, std::string_view message);

// The gRPC code for an HTTP status answered by something that is not a gRPC service.
grpc::StatusCode CodeForHttpStatus(int http_status);

}  // namespace ss::core
