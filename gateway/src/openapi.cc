#include "openapi.h"

#include <map>
#include <nlohmann/json.hpp>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
using Json = nlohmann::json;
using Field = pb::FieldDescriptor;

constexpr int kMaxQueryDepth = 3;

std::string_view AccessName(streamspace::api::v1::Access access) {
  switch (access) {
    case streamspace::api::v1::PUBLIC:
      return "public";
    case streamspace::api::v1::USER:
      return "user";
    case streamspace::api::v1::ADMIN:
      return "admin";
    case streamspace::api::v1::SERVICE:
      return "service";
    case streamspace::api::v1::OPERATOR:
      return "operator";
    default:
      return "unspecified";
  }
}

class SchemaWriter {
 public:
  // A schema for one message type: a $ref, or inline for the well-known types.
  Json MessageSchema(const pb::Descriptor* type) {
    if (auto known = WellKnown(type); !known.is_null())
      return known;
    const auto& name = type->full_name();
    if (!schemas_.contains(name)) {
      schemas_[name] = Json::object();  // placeholder against recursion
      Json properties = Json::object();
      for (int i = 0; i < type->field_count(); ++i) {
        properties[type->field(i)->json_name()] = FieldSchema(type->field(i));
      }
      schemas_[name] = {{"type", "object"}, {"properties", std::move(properties)}};
    }
    return {{"$ref", "#/components/schemas/" + name}};
  }

  Json FieldSchema(const Field* field) {
    if (field->is_map()) {
      return {{"type", "object"},
              {"additionalProperties", ValueSchema(field->message_type()->map_value())}};
    }
    auto value = ValueSchema(field);
    if (field->is_repeated())
      return {{"type", "array"}, {"items", std::move(value)}};
    return value;
  }

  Json ValueSchema(const Field* field) {
    switch (field->type()) {
      case Field::TYPE_INT32:
      case Field::TYPE_SINT32:
      case Field::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case Field::TYPE_UINT32:
      case Field::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case Field::TYPE_INT64:
      case Field::TYPE_SINT64:
      case Field::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case Field::TYPE_UINT64:
      case Field::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case Field::TYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case Field::TYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case Field::TYPE_BOOL:
        return {{"type", "boolean"}};
      case Field::TYPE_STRING:
        return {{"type", "string"}};
      case Field::TYPE_BYTES:
        return {{"type", "string"}, {"format", "byte"}};
      case Field::TYPE_ENUM: {
        Json names = Json::array();
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          names.push_back(field->enum_type()->value(i)->name());
        }
        return {{"type", "string"}, {"enum", std::move(names)}};
      }
      case Field::TYPE_MESSAGE:
      case Field::TYPE_GROUP:
        return MessageSchema(field->message_type());
    }
    return Json::object();
  }

  Json Take() { return std::move(schemas_); }

 private:
  static Json WellKnown(const pb::Descriptor* type) {
    const auto& name = type->full_name();
    if (name == "google.protobuf.Timestamp")
      return {{"type", "string"}, {"format", "date-time"}};
    if (name == "google.protobuf.Duration" || name == "google.protobuf.FieldMask") {
      return {{"type", "string"}};
    }
    if (name == "google.protobuf.Struct" || name == "google.protobuf.Empty" ||
        name == "google.protobuf.Any") {
      return {{"type", "object"}};
    }
    if (name == "google.protobuf.Value")
      return Json::object();
    if (name == "google.protobuf.ListValue")
      return {{"type", "array"}, {"items", Json::object()}};
    if (type->file()->name() == "google/protobuf/wrappers.proto") {
      SchemaWriter scalar;
      auto schema = scalar.ValueSchema(type->field(0));
      schema["nullable"] = true;
      return schema;
    }
    return nullptr;
  }

  Json schemas_ = Json::object();
};

bool BoundByPath(const Endpoint& endpoint, const FieldPath& path) {
  for (const auto& bound : endpoint.variable_fields) {
    if (bound == path)
      return true;
  }
  return false;
}

void AddQueryParameters(const Endpoint& endpoint, const pb::Descriptor* type, FieldPath& prefix,
                        const std::string& name_prefix, SchemaWriter& schemas, Json& parameters) {
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    if (field->is_map() || (prefix.empty() && field == endpoint.body_field))
      continue;
    prefix.push_back(field);
    const auto name = name_prefix + field->json_name();
    const auto* message = field->message_type();
    const bool wrapper =
        message != nullptr && message->file()->name() == "google/protobuf/wrappers.proto";
    if (message == nullptr || wrapper) {
      if (!BoundByPath(endpoint, prefix)) {
        parameters.push_back(
            {{"name", name}, {"in", "query"}, {"schema", schemas.FieldSchema(field)}});
      }
    } else if (!field->is_repeated() && static_cast<int>(prefix.size()) < kMaxQueryDepth &&
               message->file()->package() != "google.protobuf") {
      AddQueryParameters(endpoint, message, prefix, name + ".", schemas, parameters);
    }
    prefix.pop_back();
  }
}

Json Operation(const Endpoint& endpoint, SchemaWriter& schemas) {
  Json operation = {{"operationId", endpoint.operation_id},
                    {"tags", Json::array({endpoint.method->service()->name()})},
                    {"x-streamspace-access", AccessName(endpoint.access)}};
  Json parameters = Json::array();
  for (std::size_t i = 0; i < endpoint.path.variables.size(); ++i) {
    std::string name;
    for (const auto& part : endpoint.path.variables[i].field_path) {
      name += (name.empty() ? "" : ".") + part;
    }
    parameters.push_back({{"name", name},
                          {"in", "path"},
                          {"required", true},
                          {"schema", schemas.FieldSchema(endpoint.variable_fields[i].back())}});
  }
  for (const auto& header : endpoint.header_fields) {
    parameters.push_back(
        {{"name", header.header}, {"in", "header"}, {"schema", {{"type", "string"}}}});
  }
  if (endpoint.body != "*" && endpoint.raw_query == nullptr) {
    FieldPath prefix;
    AddQueryParameters(endpoint, endpoint.method->input_type(), prefix, "", schemas, parameters);
  }
  if (!parameters.empty())
    operation["parameters"] = std::move(parameters);

  if (endpoint.raw_body) {
    operation["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  } else if (!endpoint.body.empty()) {
    auto schema = endpoint.body_field != nullptr
                      ? schemas.FieldSchema(endpoint.body_field)
                      : schemas.MessageSchema(endpoint.method->input_type());
    const auto* content_type =
        endpoint.form_body ? "application/x-www-form-urlencoded" : "application/json";
    operation["requestBody"] = {{"required", true},
                                {"content", {{content_type, {{"schema", schema}}}}}};
  }
  Json ok_content;
  if (endpoint.raw_response.body != nullptr) {
    ok_content[endpoint.raw_response.content_type] = {{"schema", {{"type", "string"}}}};
  } else {
    ok_content["application/json"] = {
        {"schema", endpoint.response_field != nullptr
                       ? schemas.FieldSchema(endpoint.response_field)
                       : schemas.MessageSchema(endpoint.method->output_type())}};
  }
  operation["responses"] = {
      {"200", {{"description", "OK"}, {"content", std::move(ok_content)}}},
      {"default",
       {{"description", "Error (google.rpc.Status)"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Status"}}}}}}}}}};
  if (endpoint.redirect.location != nullptr) {
    operation["responses"][std::to_string(endpoint.redirect.status)] = {
        {"description", "Redirect to the response's " + endpoint.redirect.location->json_name() +
                            " (200 with the JSON when it is empty)"},
        {"headers", {{"Location", {{"schema", {{"type", "string"}}}}}}}};
  }
  if (endpoint.access == streamspace::api::v1::PUBLIC)
    operation["security"] = Json::array();
  return operation;
}

Json OwnRoute(std::string_view id, std::string_view description) {
  return {{"get",
           {{"operationId", id},
            {"tags", Json::array({"Gateway"})},
            {"security", Json::array()},
            {"responses",
             {{"200",
               {{"description", description},
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}}}};
}

std::string Lowercase(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string BuildOpenApi(const std::vector<const Endpoint*>& endpoints, std::string_view version) {
  SchemaWriter schemas;
  Json paths = Json::object();
  paths["/health"] = OwnRoute("Gateway.Health", "The gateway and each backend's gRPC health");
  paths["/version"] = OwnRoute("Gateway.Version", "The running version");
  paths["/api/v1/health"] = OwnRoute("Gateway.Health_1", "As /health");
  paths["/api/v1/version"] = OwnRoute("Gateway.Version_1", "As /version");
  paths["/openapi.json"] = OwnRoute("Gateway.OpenApi", "This document");
  paths["/livez"] = OwnRoute("Gateway.Livez", "Liveness: 200 while the process serves");
  paths["/readyz"] =
      OwnRoute("Gateway.Readyz", "Readiness: 200 until SIGTERM, then 503 while it drains");
  for (const auto* endpoint : endpoints) {
    paths[endpoint->path.openapi_path][Lowercase(endpoint->http_method)] =
        Operation(*endpoint, schemas);
  }
  auto components = schemas.Take();
  components["Status"] = {{"type", "object"},
                          {"properties",
                           {{"code", {{"type", "integer"}, {"format", "int32"}}},
                            {"message", {{"type", "string"}}},
                            {"details", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  Json document = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "StreamSpace API"}, {"version", std::string(version)}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", std::move(components)},
        {"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
      {"security", Json::array({Json{{"bearer", Json::array()}}})}};
  return document.dump();
}

}  // namespace ss::gateway
