#include "error_response.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"

namespace ss::gateway {

ErrorResponse ErrorFor(const grpc::Status& status) {
  const auto code = status.error_code();
  ErrorResponse response;
  response.http_status = core::HttpStatusFor(code);
  response.body = core::ErrorBody(code, status.error_message());
  response.www_authenticate = code == grpc::StatusCode::UNAUTHENTICATED;
  return response;
}

ErrorResponse BackendErrorFor(const grpc::Status& status, std::string_view retry_after) {
  std::string message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      message = "service unavailable";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      message = "deadline exceeded";
      break;
    case grpc::StatusCode::CANCELLED:
      message = "request cancelled";
      break;
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      message = "internal error";
      break;
    default:
      break;
  }
  auto response = ErrorFor(grpc::Status(status.error_code(), message));
  const bool seconds = !retry_after.empty() && retry_after.size() <= 10 &&
                       std::all_of(retry_after.begin(), retry_after.end(), [](char c) {
                         return std::isdigit(static_cast<unsigned char>(c));
                       });
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && seconds) {
    response.retry_after = std::string(retry_after);
  }
  return response;
}

ErrorResponse GatewayError(int http_status, grpc::StatusCode code, std::string_view message) {
  ErrorResponse response;
  response.http_status = http_status;
  response.body = core::ErrorBody(code, message);
  response.www_authenticate = code == grpc::StatusCode::UNAUTHENTICATED;
  return response;
}

}  // namespace ss::gateway
