#include "endpoint.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

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
    if (method_.server_streaming())
      BuildWebSocket(verb, rule, &endpoint);
    endpoint.method = &method_;
    endpoint.request_prototype = source_.Prototype(input);
    endpoint.request_resolver = source_.ResolverFor(input);
    endpoint.request_type_url = TypeUrl(input);
    endpoint.checks_bools = HasBoolFields(*input);
    endpoint.response_prototype = source_.Prototype(method_.output_type());
    if (!rule.response_body().empty()) {
      endpoint.response_field = method_.output_type()->FindFieldByName(rule.response_body());
      if (endpoint.response_field == nullptr || method_.server_streaming())
        throw EndpointError(where + ": response_body must name a field of a unary response");
    }
    BuildCookie(&endpoint);
    BuildRedirect(&endpoint);
    BuildRawResponse(&endpoint);
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
    endpoint.form_body = method_.options().GetExtension(api::form_body);
    if (endpoint.form_body && (endpoint.body != "*" || endpoint.raw_body || endpoint.websocket))
      throw EndpointError(where + ": a form body needs the rule's body \"*\" and no raw_body");
    endpoint.cookie_credential = method_.options().GetExtension(api::cookie_credential);
    if (endpoint.cookie_credential && endpoint.websocket) {
      throw EndpointError(where +
                          ": cookie_credential is for REST routes (an upgrade reads the cookie)");
    }
    for (int i = 0; i < input->field_count(); ++i) {
      const auto* field = input->field(i);
      const auto& header = field->options().GetExtension(api::header);
      if (!header.empty()) {
        if (field->type() != pb::FieldDescriptor::TYPE_STRING || field->is_repeated())
          throw EndpointError(where + ": header field " + field->name() + " must be a string");
        endpoint.header_fields.push_back({field, header});
      }
      if (field->options().GetExtension(api::raw_query))
        BuildRawQuery(field, &endpoint);
    }
    return endpoint;
  }

 private:
  void BuildWebSocket(const Verb& verb, const google::api::HttpRule& rule,
                      Endpoint* endpoint) const {
    const auto where = method_.full_name();
    if (verb.method != "GET" || !rule.body().empty())
      throw EndpointError(where + ": a WebSocket route needs a `get` rule without a body");
    const auto& options = method_.options().GetExtension(api::websocket);
    const auto* response = method_.output_type();
    auto& shape = endpoint->stream;
    endpoint->websocket = true;
    shape.shared = options.shared();
    if (shape.shared && !endpoint->path.variables.empty())
      throw EndpointError(where + ": a shared stream's route takes no path variables");
    // `token` in the query of an upgrade is the client's credential, never a request field.
    if (method_.input_type()->FindFieldByName("token") != nullptr)
      throw EndpointError(where + ": a WebSocket request cannot have a field `token`");
    shape.type = response->FindFieldByName("type");
    if (shape.type == nullptr || shape.type->type() != pb::FieldDescriptor::TYPE_STRING ||
        shape.type->is_repeated()) {
      throw EndpointError(where + ": a streamed message needs a string field `type`");
    }
    if (options.object_field().empty()) {
      if (!options.key_field().empty() || !options.owner_field().empty() ||
          !options.snapshot_field().empty() || !options.seed_list_type().empty()) {
        throw EndpointError(
            where + ": key, owner, snapshot fields and seed_list_type need an object_field");
      }
      if (!options.seed_value_field().empty()) {
        shape.seed_value = response->FindFieldByName(options.seed_value_field());
        if (shape.seed_value == nullptr)
          throw EndpointError(where + ": seed_value_field must name a field of the message");
      }
      return;
    }
    if (!options.seed_value_field().empty())
      throw EndpointError(where + ": seed_value_field is for streams without an object_field");
    shape.seed_list_type = options.seed_list_type();
    if (!shape.shared)
      throw EndpointError(where + ": object_field is for shared streams");
    const pb::Descriptor* object = response;
    for (const auto& name : SplitDotted(options.object_field())) {
      const auto* field = object->FindFieldByName(name);
      if (field == nullptr || field->is_repeated() ||
          field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        throw EndpointError(where + ": object_field must name singular message fields");
      }
      shape.object_path.push_back(field);
      object = field->message_type();
    }
    shape.key = StringField(*object, options.key_field(), where + ": key_field");
    if (!options.owner_field().empty())
      shape.owner = StringField(*object, options.owner_field(), where + ": owner_field");
    shape.snapshot = response->FindFieldByName(options.snapshot_field());
    if (shape.snapshot == nullptr || !shape.snapshot->is_repeated() ||
        shape.snapshot->message_type() != object) {
      throw EndpointError(where + ": snapshot_field must be a repeated field of the object type");
    }
  }

  void BuildCookie(Endpoint* endpoint) const {
    if (!method_.options().HasExtension(api::session_cookie))
      return;
    const auto where = method_.full_name() + ": session_cookie";
    const auto& options = method_.options().GetExtension(api::session_cookie);
    auto& cookie = endpoint->cookie;
    cookie.clear = options.clear();
    if (cookie.clear != options.token_field().empty())
      throw EndpointError(where + " needs either token_field or clear");
    if (cookie.clear)
      return;
    const auto* response = method_.output_type();
    cookie.token = StringField(*response, options.token_field(), where + " token_field");
    if (!options.expires_field().empty())
      cookie.expires = StringField(*response, options.expires_field(), where + " expires_field");
  }

  void BuildRawQuery(const pb::FieldDescriptor* field, Endpoint* endpoint) const {
    const auto where = method_.full_name() + ": raw_query field " + field->name();
    if (field->type() != pb::FieldDescriptor::TYPE_STRING || field->is_repeated())
      throw EndpointError(where + " must be a string");
    if (endpoint->raw_query != nullptr)
      throw EndpointError(where + ": a request has one raw_query field at most");
    bool bound = field == endpoint->body_field;
    for (const auto& fields : endpoint->variable_fields)
      bound = bound || fields.front() == field;
    if (bound)
      throw EndpointError(where + " is set by the path or the body");
    endpoint->raw_query = field;
  }

  void BuildRedirect(Endpoint* endpoint) const {
    if (!method_.options().HasExtension(api::redirect))
      return;
    const auto where = method_.full_name() + ": redirect";
    const auto& options = method_.options().GetExtension(api::redirect);
    if (method_.server_streaming())
      throw EndpointError(where + " is for unary methods");
    auto& redirect = endpoint->redirect;
    redirect.location =
        StringField(*method_.output_type(), options.location_field(), where + " location_field");
    redirect.status = options.status();
    constexpr unsigned kStatuses[] = {301, 302, 303, 307, 308};
    if (std::find(std::begin(kStatuses), std::end(kStatuses), redirect.status) ==
        std::end(kStatuses)) {
      throw EndpointError(where + " status must be 301, 302, 303, 307 or 308");
    }
    redirect.json_when_accepted = options.json_when_accepted();
  }

  void BuildRawResponse(Endpoint* endpoint) const {
    if (!method_.options().HasExtension(api::raw_response))
      return;
    const auto where = method_.full_name() + ": raw_response";
    const auto& options = method_.options().GetExtension(api::raw_response);
    if (method_.server_streaming() || endpoint->response_field != nullptr ||
        endpoint->redirect.location != nullptr) {
      throw EndpointError(where + " is for unary methods without response_body or redirect");
    }
    auto& raw = endpoint->raw_response;
    raw.body = method_.output_type()->FindFieldByName(options.body_field());
    if (raw.body == nullptr || raw.body->is_repeated() ||
        (raw.body->type() != pb::FieldDescriptor::TYPE_STRING &&
         raw.body->type() != pb::FieldDescriptor::TYPE_BYTES)) {
      throw EndpointError(where + " body_field must name a string or bytes field");
    }
    raw.content_type = options.content_type();
    // It becomes a header value as it is.
    const bool printable = std::all_of(raw.content_type.begin(), raw.content_type.end(),
                                       [](char c) { return c >= 0x20 && c < 0x7f; });
    if (raw.content_type.empty() || !printable)
      throw EndpointError(where + " needs a content_type of printable ASCII");
  }

  static const pb::FieldDescriptor* StringField(const pb::Descriptor& type, const std::string& name,
                                                const std::string& what) {
    const auto* field = type.FindFieldByName(name);
    if (field == nullptr || field->is_repeated() ||
        field->type() != pb::FieldDescriptor::TYPE_STRING) {
      throw EndpointError(what + " must name a string field");
    }
    return field;
  }

  static std::vector<std::string> SplitDotted(const std::string& dotted) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (true) {
      const auto dot = dotted.find('.', start);
      names.push_back(dotted.substr(start, dot - start));
      if (dot == std::string::npos)
        return names;
      start = dot + 1;
    }
  }

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
      const bool websocket = method.options().HasExtension(api::websocket);
      if (method.client_streaming() || (method.server_streaming() && !websocket)) {
        spdlog::warn("{}: streaming method without a WebSocket option is not routed",
                     method.full_name());
        continue;
      }
      if (websocket && !method.server_streaming()) {
        throw EndpointError(method.full_name() + ": a WebSocket option on a unary method");
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
