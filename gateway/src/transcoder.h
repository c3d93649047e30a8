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
// name is an error) or, with a raw_query field, the query string into it, then the pairs of a
// form body (as query parameters), then header fields.
grpc::Status BuildRequest(const Endpoint& endpoint, const HttpInput& input,
                          std::string* request_bytes);

// The response as canonical JSON (lowerCamelCase names, zero values printed); with the rule's
// response_body, the JSON of that field only.
grpc::Status ResponseToJson(const Endpoint& endpoint, const std::string& response_bytes,
                            std::string* json);

// The value of one top-level field of a message printed as canonical JSON, e.g. a JSON array or
// string; null for an unset message field or proto3 optional scalar. False when `message_json` is
// not a JSON object.
bool FieldJson(std::string_view message_json, const google::protobuf::FieldDescriptor& field,
               std::string* json);

}  // namespace ss::gateway
