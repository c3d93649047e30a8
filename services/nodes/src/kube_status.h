// A failed Kubernetes call as the gRPC status this service answers.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string_view>

#include "kube/error.h"

namespace ss::nodes {

// `what` names the object ("node node-a", "pod default/web-1").
grpc::Status KubeStatus(const kube::Error& error, std::string_view what);

}  // namespace ss::nodes
