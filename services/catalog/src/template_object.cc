#include "template_object.h"

#include <google/protobuf/util/json_util.h>

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;
using nlohmann::json;

void QuantitiesAsStrings(json& spec) {
  auto resources = spec.find("defaultResources");
  if (resources == spec.end() || !resources->is_object())
    return;
  for (const char* side : {"requests", "limits"}) {
    auto map = resources->find(side);
    if (map == resources->end() || !map->is_object())
      continue;
    for (auto& [key, value] : map->items()) {
      if (value.is_number_integer())
        value = std::to_string(value.get<long long>());
      else if (!value.is_string())
        value = value.dump();
    }
  }
}

}  // namespace

json SpecOf(const pb::Template& template_message) {
  pb::Template copy = template_message;
  copy.clear_id();
  copy.clear_status();
  copy.clear_created_at();
  std::string text;
  google::protobuf::util::MessageToJsonString(copy, &text);
  return json::parse(text);
}

pb::Template TemplateFromObject(const json& object) {
  json spec = object.value("spec", json::object());
  if (!spec.is_object())
    spec = json::object();
  QuantitiesAsStrings(spec);
  pb::Template message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(spec.dump(), &message, options).ok()) {
    // A resource that does not fit the schema (written around this service) still shows its name.
    message.Clear();
  }
  const json metadata = object.value("metadata", json::object());
  message.set_id(metadata.value("name", ""));
  message.set_created_at(metadata.value("creationTimestamp", ""));
  const json status = object.value("status", json::object());
  if (status.is_object() && !status.empty()) {
    if (status.contains("valid") && status["valid"].is_boolean())
      message.mutable_status()->set_valid(status["valid"].get<bool>());
    if (status.contains("message") && status["message"].is_string())
      message.mutable_status()->set_message(status["message"].get<std::string>());
  }
  return message;
}

json TemplateObject(const std::string& ns, const std::string& name, const json& spec,
                    const std::map<std::string, std::string>& labels) {
  json object = {{"apiVersion", kTemplateApiVersion},
                 {"kind", "Template"},
                 {"metadata", {{"name", name}, {"namespace", ns}}},
                 {"spec", spec}};
  if (!labels.empty())
    object["metadata"]["labels"] = labels;
  return object;
}

}  // namespace ss::catalog
