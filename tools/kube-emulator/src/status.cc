#include "status.h"

namespace kubeemu {
namespace {

Json Failure(int code, const std::string& reason, const std::string& message, Json details) {
  Json status = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", Json::object()},
                 {"status", "Failure"}, {"message", message}, {"reason", reason},
                 {"code", code}};
  if (!details.is_null()) {
    status["details"] = std::move(details);
  }
  return status;
}

Json SubjectDetails(const ErrorSubject& subject) {
  Json details = {{"name", subject.name}, {"kind", subject.resource}};
  if (!subject.group.empty()) {
    details["group"] = subject.group;
  }
  return details;
}

// "pods" or "deployments.apps", as the API server names a resource in messages.
std::string QualifiedResource(const ErrorSubject& subject) {
  return subject.group.empty() ? subject.resource : subject.resource + "." + subject.group;
}

}  // namespace

ApiError BadRequest(const std::string& message) {
  return {400, Failure(400, "BadRequest", message, nullptr)};
}

ApiError NotFound(const ErrorSubject& subject) {
  return {404, Failure(404, "NotFound",
                       QualifiedResource(subject) + " \"" + subject.name + "\" not found",
                       SubjectDetails(subject))};
}

ApiError PathNotFound() {
  return {404, Failure(404, "NotFound", "the server could not find the requested resource",
                       Json::object())};
}

ApiError AlreadyExists(const ErrorSubject& subject) {
  return {409, Failure(409, "AlreadyExists",
                       QualifiedResource(subject) + " \"" + subject.name + "\" already exists",
                       SubjectDetails(subject))};
}

ApiError Conflict(const ErrorSubject& subject) {
  return {409, Failure(409, "Conflict",
                       "Operation cannot be fulfilled on " + QualifiedResource(subject) + " \"" +
                           subject.name +
                           "\": the object has been modified; please apply your changes to the "
                           "latest version and try again",
                       SubjectDetails(subject))};
}

ApiError Invalid(const std::string& group, const std::string& kind, const std::string& name,
                 const Json& causes) {
  std::string message =
      kind + (group.empty() ? "" : "." + group) + " \"" + name + "\" is invalid: ";
  for (size_t i = 0; i < causes.size(); ++i) {
    message +=
        (i > 0 ? ", " : "") + causes[i].value("field", "") + ": " + causes[i].value("message", "");
  }
  Json details = {{"name", name}, {"kind", kind}, {"causes", causes}};
  if (!group.empty()) {
    details["group"] = group;
  }
  return {422, Failure(422, "Invalid", message, details)};
}

ApiError Unauthorized() {
  return {401, Failure(401, "Unauthorized", "Unauthorized", nullptr)};
}

ApiError MethodNotAllowed() {
  return {405, Failure(405, "MethodNotAllowed",
                       "the server does not allow this method on the requested resource",
                       Json::object())};
}

ApiError UnsupportedMediaType(const std::string& accepted) {
  return {415, Failure(415, "UnsupportedMediaType",
                       "the body of the request was in an unknown format - accepted media types "
                       "include: " +
                           accepted,
                       nullptr)};
}

ApiError Gone(const std::string& message) {
  return {410, Failure(410, "Expired", message, nullptr)};
}

ApiError TooManyRequests(const std::string& message, const Json& causes) {
  return {429, Failure(429, "TooManyRequests", message, Json{{"causes", causes}})};
}

ApiError InternalError(const std::string& message) {
  return {500, Failure(500, "InternalError", "Internal error occurred: " + message, nullptr)};
}

}  // namespace kubeemu
