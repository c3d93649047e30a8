#include "kube/grpc_status.h"

#include <spdlog/spdlog.h>

#include <string>

namespace ss::kube {
namespace {

grpc::Status Unavailable(const Error& error, std::string_view what) {
  spdlog::warn("kubernetes call on {} failed: {}", what, error.ToString());
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the Kubernetes API is unavailable");
}

grpc::Status Internal(const Error& error, std::string_view what) {
  spdlog::error("kubernetes call on {} refused: {}", what, error.ToString());
  return grpc::Status(grpc::StatusCode::INTERNAL, "the Kubernetes API refused the request");
}

}  // namespace

grpc::Status ToGrpcStatus(const Error& error, std::string_view what) {
  const std::string subject(what);
  const std::string& reason = error.reason;
  if (error.IsCancelled())
    return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
  if (error.IsTransport())
    return Unavailable(error, what);
  if (reason == "NotFound")
    return grpc::Status(grpc::StatusCode::NOT_FOUND, subject + " not found");
  if (reason == "AlreadyExists")
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, subject + " already exists");
  if (reason == "Conflict")
    return grpc::Status(grpc::StatusCode::ABORTED, subject + " changed meanwhile; try again");
  if (reason == "Invalid" || reason == "BadRequest")
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, subject + ": " + error.message);
  if (reason == "Forbidden" || reason == "Unauthorized")
    return Internal(error, what);
  if (reason == "TooManyRequests" || error.IsTimeout() || error.http_status >= 500)
    return Unavailable(error, what);
  return Internal(error, what);
}

}  // namespace ss::kube
