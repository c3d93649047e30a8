// One REST endpoint: an HTTP method and path template bound to a gRPC method, read from the
// method's google.api.http rule (and each of its additional_bindings).
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/type_resolver.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "descriptor_source.h"
#include "field_path.h"
#include "path_template.h"
#include "streamspace/api/v1/options.pb.h"

namespace ss::gateway {

struct HeaderField {
  const google::protobuf::FieldDescriptor* field;
  std::string header;
};

// How a server-streaming method reaches clients over WebSocket: its
// (streamspace.api.v1.websocket) option, resolved against the response type.
struct WebSocketShape {
  bool shared = false;
  // The singular message fields from the response message down to the object; empty when the
  // stream has no object_field (each message is broadcast as it is).
  std::vector<const google::protobuf::FieldDescriptor*> object_path;
  // Within the object: its key and its owner's username (string fields; owner may be null).
  const google::protobuf::FieldDescriptor* key = nullptr;
  const google::protobuf::FieldDescriptor* owner = nullptr;
  // The repeated object field of a `snapshot` message.
  const google::protobuf::FieldDescriptor* snapshot = nullptr;
  // The response's string field `type`.
  const google::protobuf::FieldDescriptor* type = nullptr;
  // Clients without the streamspace.v1 subprotocol (the seed's UI): with object_path, the type of
  // the list message they get instead of snapshots and deltas ...
  std::string seed_list_type;
  // ... without it, the field whose value (as JSON) they get of each message.
  const google::protobuf::FieldDescriptor* seed_value = nullptr;
  // Whether such clients get anything but the messages as they are.
  bool has_seed() const { return !seed_list_type.empty() || seed_value != nullptr; }
};

// What the (streamspace.api.v1.session_cookie) option of a method asks: on an OK answer, set the
// sign-in cookie from the response's token field (expiring at its RFC 3339 expires field), or
// clear it.
struct CookieAction {
  const google::protobuf::FieldDescriptor* token = nullptr;
  const google::protobuf::FieldDescriptor* expires = nullptr;
  bool clear = false;
  bool any() const { return token != nullptr || clear; }
};

// The (streamspace.api.v1.redirect) option: an OK answer whose location field is not empty is
// an HTTP redirect there, with no body.
struct RedirectAction {
  const google::protobuf::FieldDescriptor* location = nullptr;
  // 301, 302, 303, 307 or 308.
  unsigned status = 0;
  // A client that accepts application/json and not text/html gets the JSON instead.
  bool json_when_accepted = false;
};

// The (streamspace.api.v1.raw_response) option: an OK answer's body is this string or bytes field
// of the response, with this Content-Type.
struct RawResponseAction {
  const google::protobuf::FieldDescriptor* body = nullptr;
  std::string content_type;
};

struct Endpoint {
  std::string http_method;
  // The template as written in the proto: the route label of metrics and logs.
  std::string path_text;
  PathTemplate path;
  // The field each path variable sets, in the order of path.variables.
  std::vector<FieldPath> variable_fields;

  const google::protobuf::MethodDescriptor* method = nullptr;
  const google::protobuf::Message* request_prototype = nullptr;
  google::protobuf::util::TypeResolver* request_resolver = nullptr;
  std::string request_type_url;
  // The request has bool fields, whose JSON values need a check protobuf does not make.
  bool checks_bools = false;
  // "/package.Service/Method".
  std::string rpc_name;
  std::string backend;
  streamspace::api::v1::Access access = streamspace::api::v1::ACCESS_UNSPECIFIED;

  // "" (no body: the query string sets fields), "*" (the whole message) or a top-level field.
  std::string body;
  const google::protobuf::FieldDescriptor* body_field = nullptr;
  // The body is copied as bytes into body_field; header_fields come from request headers.
  bool raw_body = false;
  std::vector<HeaderField> header_fields;
  // The body is an HTML form (application/x-www-form-urlencoded) whose pairs set fields as query
  // parameters do; `body` is "*".
  bool form_body = false;
  // The string field that takes the whole query string; no query parameter is bound then.
  const google::protobuf::FieldDescriptor* raw_query = nullptr;
  // Without an Authorization header, the sign-in cookie is the bearer token (with an allowed
  // Origin, as for a WebSocket upgrade).
  bool cookie_credential = false;

  // The rule's response_body: the answer is this top-level field of the response (e.g. a bare
  // JSON array); null for the whole response.
  const google::protobuf::FieldDescriptor* response_field = nullptr;
  CookieAction cookie;
  RedirectAction redirect;
  RawResponseAction raw_response;

  // A server-streaming method served as a WebSocket (GET with an Upgrade).
  bool websocket = false;
  WebSocketShape stream;
  const google::protobuf::Message* response_prototype = nullptr;

  // "Service.Method", with "_<n>" for the n-th additional binding.
  std::string operation_id;
};

// Thrown at start-up when an annotated method cannot be served as declared.
class EndpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every binding of every method with a google.api.http rule: unary methods as REST routes,
// server-streaming methods with a `get` rule and a (streamspace.api.v1.websocket) option as
// WebSocket routes (other streaming methods are left out). Throws EndpointError for a method
// without an access level, a service without a backend, a bad template, body field, WebSocket,
// form_body, raw_query, redirect, raw_response or cookie_credential option.
std::vector<Endpoint> BuildEndpoints(DescriptorSource& source);

}  // namespace ss::gateway
