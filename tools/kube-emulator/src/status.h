// API errors, shaped exactly as a real API server's `Status` objects.
#pragma once

#include <string>

#include "json_util.h"

namespace kubeemu {

// A failed API call: the HTTP code and the `Status` body a real API server would send.
struct ApiError {
  int code = 500;
  Json status;
};

// Identifies the object a Status error is about (`details.name`, `.group`, `.kind`).
struct ErrorSubject {
  std::string group;
  std::string resource;
  std::string name;
};

ApiError BadRequest(const std::string& message);
ApiError NotFound(const ErrorSubject& subject);
ApiError PathNotFound();
ApiError AlreadyExists(const ErrorSubject& subject);
ApiError Conflict(const ErrorSubject& subject);
ApiError Invalid(const std::string& group, const std::string& kind, const std::string& name,
                 const Json& causes);
ApiError Unauthorized();
ApiError MethodNotAllowed();
// 415 naming the media types that are accepted ("application/json, application/yaml").
ApiError UnsupportedMediaType(const std::string& accepted);
ApiError Gone(const std::string& message);
ApiError TooManyRequests(const std::string& message, const Json& causes);
ApiError InternalError(const std::string& message);

}  // namespace kubeemu
