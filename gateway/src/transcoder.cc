#include "transcoder.h"

#include <google/protobuf/util/json_util.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "json_printer.h"
#include "json_types.h"
#include "rpc/validation.h"

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;

using rpc::Invalid;

// The first line of protobuf's JSON error, which points at the offending token.
std::string JsonError(const pb::util::Status& status) {
  std::string message(status.message());
  return "invalid JSON body: " + message.substr(0, message.find('\n'));
}

bool StartsWith(const FieldPath& path, const FieldPath& prefix) {
  if (prefix.size() > path.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (path[i] != prefix[i])
      return false;
  }
  return true;
}

// Decodes a query string component: '+' is a space, %XX an octet.
bool DecodeQueryComponent(std::string_view in, std::string* out) {
  std::string plus_as_space(in);
  for (auto& c : plus_as_space) {
    if (c == '+')
      c = ' ';
  }
  return PercentDecode(plus_as_space, false, out);
}

// The pairs of a query string, or of an HTML form (application/x-www-form-urlencoded, the same
// encoding), each setting the field of its JSON name.
grpc::Status ApplyPairs(const Endpoint& endpoint, std::string_view pairs, bool form,
                        pb::Message* message) {
  const std::string what = form ? "form field '" : "query parameter '";
  std::string key;
  std::string value;
  FieldPath path;
  while (!pairs.empty()) {
    const auto amp = pairs.find('&');
    const auto pair = pairs.substr(0, amp);
    pairs = amp == std::string_view::npos ? std::string_view() : pairs.substr(amp + 1);
    if (pair.empty())
      continue;
    const auto equals = pair.find('=');
    if (!DecodeQueryComponent(pair.substr(0, equals), &key) ||
        !DecodeQueryComponent(
            equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1),
            &value)) {
      return Invalid(form ? "malformed form body" : "malformed query string");
    }
    // With body "*" the body sets every field: a query parameter has none left.
    if ((!form && endpoint.body == "*") ||
        !ResolveFieldPath(endpoint.method->input_type(), key, &path)) {
      return Invalid("unknown " + what + key + "'");
    }
    for (const auto& bound : endpoint.variable_fields) {
      if (StartsWith(path, bound) || StartsWith(bound, path)) {
        return Invalid(what + key + "' is set by the path");
      }
    }
    if (endpoint.body_field != nullptr && path.front() == endpoint.body_field) {
      return Invalid(what + key + "' is set by the body");
    }
    auto status = SetFieldFromText(message, path, value, what + key + "'");
    if (!status.ok())
      return status;
  }
  return grpc::Status::OK;
}

pb::util::JsonParseOptions ParseOptions() {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return options;
}

// The JSON body as a serialized request message (empty for no body).
// The JSON `null` (what axios sends for `post(url, null)` with a JSON content type): no body.
bool IsJsonNull(std::string_view body) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = body.find_first_not_of(kSpace);
  if (first == std::string_view::npos)
    return false;
  return body.substr(first, body.find_last_not_of(kSpace) + 1 - first) == "null";
}

grpc::Status BodyToBinary(const Endpoint& endpoint, std::string_view body, std::string* binary) {
  if (body.empty() || endpoint.raw_body || endpoint.form_body || IsJsonNull(body))
    return grpc::Status::OK;
  // A body on a route that takes none would be lost, and with it a field the client meant to set
  // (an empty connectionId means "all of my connections").
  if (endpoint.body.empty())
    return Invalid("this route takes no body: send its fields as query parameters");
  std::string wrapped;
  if (endpoint.body_field != nullptr) {
    // The body is the value of one field: parse {"<field>": <body>} after making sure the body is
    // a single JSON value, so that it cannot smuggle other fields in.
    if (!nlohmann::json::accept(body))
      return Invalid("invalid JSON body");
    wrapped.reserve(body.size() + endpoint.body_field->json_name().size() + 8);
    wrapped.append("{\"").append(endpoint.body_field->json_name()).append("\":");
    wrapped.append(body).append("}");
    body = wrapped;
  }
  if (endpoint.checks_bools) {
    auto checked = CheckBoolFields(*endpoint.method->input_type(), body);
    if (!checked.ok())
      return checked;
  }
  const auto status = pb::util::JsonToBinaryString(
      endpoint.request_resolver, endpoint.request_type_url,
      pb::StringPiece(body.data(), body.size()), binary, ParseOptions());
  if (!status.ok())
    return Invalid(JsonError(status));
  return grpc::Status::OK;
}

}  // namespace

grpc::Status BuildRequest(const Endpoint& endpoint, const HttpInput& input,
                          std::string* request_bytes) {
  request_bytes->clear();
  auto status = BodyToBinary(endpoint, input.body, request_bytes);
  if (!status.ok())
    return status;

  bool has_headers = false;
  for (const auto& value : input.header_values)
    has_headers = has_headers || value.has_value();
  const bool only_body = input.path_values.empty() && input.query.empty() && !endpoint.raw_body &&
                         !endpoint.form_body && !has_headers;
  if (only_body)
    return grpc::Status::OK;

  std::unique_ptr<pb::Message> message(endpoint.request_prototype->New());
  if (!request_bytes->empty() && !message->ParseFromString(*request_bytes)) {
    return Invalid("invalid JSON body");
  }
  for (std::size_t i = 0; i < input.path_values.size(); ++i) {
    const auto& fields = endpoint.variable_fields[i];
    status = SetFieldFromText(message.get(), fields, input.path_values[i],
                              "path parameter '" + FieldPathName(fields) + "'");
    if (!status.ok())
      return status;
  }
  const auto* reflection = message->GetReflection();
  if (endpoint.raw_query != nullptr) {
    reflection->SetString(message.get(), endpoint.raw_query, std::string(input.query));
  } else {
    status = ApplyPairs(endpoint, input.query, false, message.get());
  }
  if (status.ok() && endpoint.form_body)
    status = ApplyPairs(endpoint, input.body, true, message.get());
  if (!status.ok())
    return status;
  if (endpoint.raw_body) {
    reflection->SetString(message.get(), endpoint.body_field, std::string(input.body));
  }
  for (std::size_t i = 0; i < endpoint.header_fields.size() && i < input.header_values.size();
       ++i) {
    if (input.header_values[i]) {
      reflection->SetString(message.get(), endpoint.header_fields[i].field,
                            std::string(*input.header_values[i]));
    }
  }
  request_bytes->clear();
  message->SerializeToString(request_bytes);
  return grpc::Status::OK;
}

grpc::Status ResponseToJson(const Endpoint& endpoint, const std::string& response_bytes,
                            std::string* json) {
  const grpc::Status malformed(grpc::StatusCode::INTERNAL, "malformed response");
  if (endpoint.response_field == nullptr) {
    if (!PrintJson(endpoint.method->output_type(), response_bytes, json))
      return malformed;
    return grpc::Status::OK;
  }
  std::string whole;
  if (!PrintJson(endpoint.method->output_type(), response_bytes, &whole) ||
      !FieldJson(whole, *endpoint.response_field, json)) {
    return malformed;
  }
  return grpc::Status::OK;
}

bool FieldJson(std::string_view message_json, const pb::FieldDescriptor& field, std::string* json) {
  // ordered_json keeps the printer's field order inside the value.
  const auto parsed = nlohmann::ordered_json::parse(message_json, nullptr, false);
  if (!parsed.is_object())
    return false;
  // The printer leaves only unset message fields out.
  const auto found = parsed.find(field.json_name());
  *json = found == parsed.end() ? "null" : found->dump();
  return true;
}

}  // namespace ss::gateway
