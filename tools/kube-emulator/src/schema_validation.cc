#include "schema_validation.h"

namespace kubeemu {
namespace {

bool TypeMatches(const Json& value, const std::string& type) {
  if (type == "object") {
    return value.is_object();
  }
  if (type == "array") {
    return value.is_array();
  }
  if (type == "string") {
    return value.is_string();
  }
  if (type == "integer") {
    return value.is_number_integer();
  }
  if (type == "number") {
    return value.is_number();
  }
  if (type == "boolean") {
    return value.is_boolean();
  }
  return true;
}

void Walk(Json& value, const Json& schema, const std::string& path, SchemaReport& report) {
  if (!schema.is_object() || value.is_null()) {
    return;
  }
  if (schema.value("x-kubernetes-int-or-string", false)) {
    if (!value.is_string() && !value.is_number_integer()) {
      report.causes.push_back(
          {{"reason", "FieldValueTypeInvalid"},
           {"message", "Invalid value: \"" + std::string(value.type_name()) + "\": " + path +
                           " in body must be of type int-or-string"},
           {"field", path}});
    }
    return;
  }
  const std::string type = schema.value("type", "");
  if (!type.empty() && !TypeMatches(value, type)) {
    report.causes.push_back(
        {{"reason", "FieldValueTypeInvalid"},
         {"message", "Invalid value: \"" + std::string(value.type_name()) + "\": " + path +
                         " in body must be of type " + type + ": \"" + value.type_name() + "\""},
         {"field", path}});
    return;
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    std::string supported;
    for (const auto& e : schema["enum"]) {
      supported += (supported.empty() ? "" : ", ") + e.dump();
    }
    report.causes.push_back(
        {{"reason", "FieldValueNotSupported"},
         {"message", "Unsupported value: " + value.dump() + ": supported values: " + supported},
         {"field", path}});
  }
  if (value.is_object()) {
    for (const auto& req : schema.value("required", Json::array())) {
      if (!value.contains(req.get<std::string>())) {
        report.causes.push_back({{"reason", "FieldValueRequired"},
                                 {"message", "Required value"},
                                 {"field", path + "." + req.get<std::string>()}});
      }
    }
    const bool preserve = schema.value("x-kubernetes-preserve-unknown-fields", false);
    const Json properties = schema.value("properties", Json::object());
    const Json additional = schema.value("additionalProperties", Json());
    std::vector<std::string> pruned;
    for (auto& [key, child] : value.items()) {
      const std::string child_path = path + "." + key;
      if (properties.contains(key)) {
        Walk(child, properties[key], child_path, report);
      } else if (additional.is_object()) {
        Walk(child, additional, child_path, report);
      } else if (!preserve && !(additional.is_boolean() && additional.get<bool>())) {
        pruned.push_back(key);
        report.unknown_fields.push_back(child_path);
      }
    }
    for (const auto& key : pruned) {
      value.erase(key);
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      Walk(value[i], schema["items"], path + "[" + std::to_string(i) + "]", report);
    }
  }
}

}  // namespace

SchemaReport ValidateAndPrune(Json& object, const Json& schema) {
  SchemaReport report;
  if (!schema.is_object() || !object.is_object()) {
    return report;
  }
  const Json properties = schema.value("properties", Json::object());
  std::vector<std::string> pruned;
  for (auto& [key, child] : object.items()) {
    if (key == "apiVersion" || key == "kind" || key == "metadata") {
      continue;
    }
    if (properties.contains(key)) {
      Walk(child, properties[key], key, report);
    } else if (!schema.value("x-kubernetes-preserve-unknown-fields", false)) {
      pruned.push_back(key);
      report.unknown_fields.push_back(key);
    }
  }
  for (const auto& key : pruned) {
    object.erase(key);
  }
  return report;
}

}  // namespace kubeemu
