#include "kube_status.h"

#include <spdlog/spdlog.h>

namespace ss::nodes {

grpc::Status KubeStatus(const kube::Error& error, std::string_view what) {
  const std::string subject(what);
  if (error.IsNotFound())
    return grpc::Status(grpc::StatusCode::NOT_FOUND, subject + " not found");
  if (error.IsConflict())
    return grpc::Status(grpc::StatusCode::ABORTED, subject + " changed meanwhile; try again");
  if (error.http_status == 400 || error.http_status == 422)
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, subject + ": " + error.message);
  if (error.IsCancelled())
    return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
  spdlog::error("kubernetes call on {} failed: {}", subject, error.ToString());
  if (error.IsTransport() || error.IsTimeout() || error.http_status == 503 ||
      error.IsTooManyRequests())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the Kubernetes API is unavailable");
  return grpc::Status(grpc::StatusCode::INTERNAL, "the Kubernetes API refused the change");
}

}  // namespace ss::nodes
