// The one translation of a failed Kubernetes call into the gRPC status a service answers, keyed by
// the Kubernetes Status reason (DESIGN.md, Kubernetes; issue 14):
//
//   NotFound → NOT_FOUND            AlreadyExists → ALREADY_EXISTS     Conflict → ABORTED
//   Invalid, BadRequest → INVALID_ARGUMENT (the API server's message is the caller's to read)
//   Forbidden, Unauthorized → INTERNAL (our RBAC or credentials are wrong, not the caller's
//     request: logged as an error, the caller reads nothing of it)
//   TooManyRequests, 5xx, transport failures and timeouts → UNAVAILABLE (the client has already
//     retried what it retries)
//   Cancelled → CANCELLED;  anything else → INTERNAL, logged.
#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "kube/error.h"

namespace ss::kube {

// `what` names the object, as a caller would: "node node-a", "session s-1", "template firefox".
grpc::Status ToGrpcStatus(const Error& error, std::string_view what);

}  // namespace ss::kube
