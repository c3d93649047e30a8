#include "endpoint.h"

#include <spdlog/spdlog.h>

#include "google/api/annotations.pb.h"
#include "json_types.h"

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
namespace api = streamspace::api::v1;

struct Verb {
  std::string method;
  std::string path;
};

Verb VerbOf(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return {"GET", rule.get()};
    case google::api::HttpRule::kPut:
      return {"PUT", rule.put()};
    case google::api::HttpRule::kPost:
      return {"POST", rule.post()};
    case google::api::HttpRule::kDelete:
      return {"DELETE", rule.delete_()};
    case google::api::HttpRule::kPatch:
      return {"PATCH", rule.patch()};
    case google::api::HttpRule::kCustom:
      return {rule.custom().kind(), rule.custom().path()};
    case google::api::HttpRule::PATTERN_NOT_SET:
      break;
  }
  return {};
}

class EndpointBuilder {
 public:
  EndpointBuilder(DescriptorSource& source, const pb::MethodDescriptor& method)
      : source_(source), method_(method) {}

  Endpoint Build(const google::api::HttpRule& rule, int binding) const {
    const auto where = method_.full_name();
    const auto verb = VerbOf(rule);
    if (verb.method.empty() || verb.path.empty())
      throw EndpointError(where + ": empty http rule");
    if (!rule.response_body().empty()) {
      throw EndpointError(where + ": response_body is not supported");
    }
    Endpoint endpoint;
    endpoint.http_method = verb.method;
    endpoint.path_text = verb.path;
    try {
      endpoint.path = ParsePathTemplate(verb.path);
    } catch (const TemplateError& error) {
      throw EndpointError(where + ": " + error.what());
    }
    const auto* input = method_.input_type();
    for (const auto& variable : endpoint.path.variables) {
      FieldPath fields;
      if (!ResolveFieldPath(input, variable.field_path, &fields) || fields.back()->is_repeated()) {
        throw EndpointError(where + ": path variable does not name a singular scalar field");
      }
      endpoint.variable_fields.push_back(std::move(fields));
    }
    endpoint.method = &method_;
    endpoint.request_prototype = source_.Prototype(input);
    endpoint.request_resolver = source_.ResolverFor(input);
    endpoint.response_resolver = source_.ResolverFor(method_.output_type());
    endpoint.request_type_url = TypeUrl(input);
    endpoint.checks_bools = HasBoolFields(*input);
    endpoint.response_type_url = TypeUrl(method_.output_type());
    endpoint.rpc_name = "/" + method_.service()->full_name() + "/" + method_.name();
    endpoint.backend = method_.service()->options().GetExtension(api::backend);
    endpoint.access = method_.options().GetExtension(api::access);
    endpoint.raw_body = method_.options().GetExtension(api::raw_body);
    endpoint.body = rule.body();
    endpoint.operation_id = method_.service()->name() + "." + method_.name();
    if (binding > 0)
      endpoint.operation_id += "_" + std::to_string(binding);
    if (!endpoint.body.empty() && endpoint.body != "*") {
      endpoint.body_field = input->FindFieldByName(endpoint.body);
      if (endpoint.body_field == nullptr)
        throw EndpointError(where + ": no body field " + rule.body());
    }
    if (endpoint.raw_body &&
        (endpoint.body_field == nullptr || endpoint.body_field->is_repeated() ||
         endpoint.body_field->type() != pb::FieldDescriptor::TYPE_BYTES)) {
      throw EndpointError(where + ": a raw body needs `body` to name a bytes field");
    }
    for (int i = 0; i < input->field_count(); ++i) {
      const auto* field = input->field(i);
      const auto& header = field->options().GetExtension(api::header);
      if (header.empty())
        continue;
      if (field->type() != pb::FieldDescriptor::TYPE_STRING || field->is_repeated()) {
        throw EndpointError(where + ": header field " + field->name() + " must be a string");
      }
      endpoint.header_fields.push_back({field, header});
    }
    return endpoint;
  }

 private:
  DescriptorSource& source_;
  const pb::MethodDescriptor& method_;
};

}  // namespace

std::vector<Endpoint> BuildEndpoints(DescriptorSource& source) {
  std::vector<Endpoint> endpoints;
  for (const auto* service : source.services()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto& method = *service->method(i);
      if (!method.options().HasExtension(google::api::http))
        continue;
      if (method.options().GetExtension(api::access) == api::ACCESS_UNSPECIFIED) {
        throw EndpointError(method.full_name() + " declares no (streamspace.api.v1.access)");
      }
      if (service->options().GetExtension(api::backend).empty()) {
        throw EndpointError(service->full_name() + " declares no (streamspace.api.v1.backend)");
      }
      if (method.client_streaming() || method.server_streaming()) {
        // Streams reach clients over WebSocket, not as REST calls.
        spdlog::warn("{}: streaming method not routed over REST", method.full_name());
        continue;
      }
      const EndpointBuilder builder(source, method);
      const auto& rule = method.options().GetExtension(google::api::http);
      endpoints.push_back(builder.Build(rule, 0));
      for (int b = 0; b < rule.additional_bindings_size(); ++b) {
        endpoints.push_back(builder.Build(rule.additional_bindings(b), b + 1));
      }
    }
  }
  return endpoints;
}

}  // namespace ss::gateway
