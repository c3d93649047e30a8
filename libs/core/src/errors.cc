#include "core/errors.h"

#include <fmt/format.h>

#include "json_escape.h"

namespace ss::core {

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string ErrorBody(grpc::StatusCode code, std::string_view message) {
  std::string body = fmt::format(R"({{"code":{},"message":")", static_cast<int>(code));
  detail::AppendJsonEscaped(message, body);
  body += R"(","details":[]})";
  return body;
}

grpc::StatusCode CodeForHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case 401:
      return grpc::StatusCode::UNAUTHENTICATED;
    case 403:
      return grpc::StatusCode::PERMISSION_DENIED;
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    case 405:
      return grpc::StatusCode::UNIMPLEMENTED;
    case 409:
      return grpc::StatusCode::ABORTED;
    case 413:
    case 429:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 499:
      return grpc::StatusCode::CANCELLED;
    case 501:
      return grpc::StatusCode::UNIMPLEMENTED;
    case 503:
      return grpc::StatusCode::UNAVAILABLE;
    case 504:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    default:
      break;
  }
  // The rest as Google's API clients map them: success OK, other client errors a failed
  // precondition, server errors internal.
  if (http_status >= 200 && http_status < 300)
    return grpc::StatusCode::OK;
  if (http_status >= 400 && http_status < 500)
    return grpc::StatusCode::FAILED_PRECONDITION;
  if (http_status >= 500 && http_status < 600)
    return grpc::StatusCode::INTERNAL;
  return grpc::StatusCode::UNKNOWN;
}

}  // namespace ss::core
