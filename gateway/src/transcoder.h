// HTTP request → serialized request message, and serialized response → JSON, for any endpoint.
// Failures are INVALID_ARGUMENT with a message fit for the client.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endpoint.h"

namespace ss::gateway {

struct HttpInput {
  // Percent-decoded values of the endpoint's path variables, in template order.
  std::vector<std::string> path_values;
  // The query string, without '?'.
  std::string_view query;
  std::string_view body;
  // The values of endpoint.header_fields' headers, in that order.
  std::vector<std::optional<std::string_view>> header_values;
};

// Builds the request: body (JSON of the whole message or of one field, or raw bytes), then path
// variables, then query parameters (only fields that neither the path nor the body set; an unknown
// name is an error), then header fields.
grpc::Status BuildRequest(const Endpoint& endpoint, const HttpInput& input,
                          std::string* request_bytes);

// The response as canonical JSON (lowerCamelCase names, zero values printed).
grpc::Status ResponseToJson(const Endpoint& endpoint, const std::string& response_bytes,
                            std::string* json);

}  // namespace ss::gateway
