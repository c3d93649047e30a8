// The one error table: a gRPC status code maps to one HTTP status, and every failure on the wire
// is a google.rpc.Status body {"code", "message", "details"}.
#pragma once

#include <grpcpp/support/status.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace ss::core {

// The HTTP status for a gRPC code (DESIGN.md, API conventions).
int HttpStatusFor(grpc::StatusCode code);

// {"code": <code>, "message": "<message>", "details": []} with the message JSON-escaped.
std::string ErrorBody(grpc::StatusCode code, std::string_view message);

// A dependency that a call needs cannot be reached now (the database, say): the caller may try
// again later, and a handler answers UNAVAILABLE "<subject> unavailable". what() is for the log.
class Unavailable : public std::runtime_error {
 public:
  Unavailable(std::string subject, const std::string& detail)
      : std::runtime_error(detail), subject_(std::move(subject)) {}
  const std::string& subject() const { return subject_; }

 private:
  std::string subject_;
};

}  // namespace ss::core
