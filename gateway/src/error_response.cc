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

std::string ClientMessageFor(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return "service unavailable";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "deadline exceeded";
    case grpc::StatusCode::CANCELLED:
      return "request cancelled";
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      return "internal error";
    default:
      return status.error_message();
  }
}

ErrorResponse BackendErrorFor(const grpc::Status& status, std::string_view retry_after) {
  auto response = ErrorFor(grpc::Status(status.error_code(), ClientMessageFor(status)));
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
