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
  google::protobuf::util::TypeResolver* response_resolver = nullptr;
  std::string request_type_url;
  std::string response_type_url;
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

  // "Service.Method", with "_<n>" for the n-th additional binding.
  std::string operation_id;
};

// Thrown at start-up when an annotated method cannot be served as declared.
class EndpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every binding of every method with a google.api.http rule. Throws EndpointError for a method
// without an access level, a service without a backend, a bad template or body field.
std::vector<Endpoint> BuildEndpoints(DescriptorSource& source);

}  // namespace ss::gateway
