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

// The flat {cpu, memory} of a ResourceRequirements: each its request, else its limit.
json FlatResources(const json& requirements) {
  json flat = json::object();
  for (const char* key : {"cpu", "memory"}) {
    for (const char* side : {"requests", "limits"}) {
      const auto map = requirements.find(side);
      if (map != requirements.end() && map->is_object() && map->contains(key)) {
        flat[key] = (*map)[key];
        break;
      }
    }
  }
  return flat;
}

}  // namespace

void ApplyFlatResources(const pb::TemplateResources& resources, json& spec) {
  json& requirements = spec["defaultResources"];
  if (!requirements.is_object())
    requirements = json::object();
  const std::pair<const char*, std::string> given[] = {{"cpu", resources.cpu()},
                                                       {"memory", resources.memory()}};
  for (const auto& [key, value] : given) {
    if (value.empty())
      continue;
    for (const char* side : {"requests", "limits"}) {
      if (!requirements[side].is_object())
        requirements[side] = json::object();
      requirements[side][key] = value;
    }
  }
  if (requirements.empty())
    spec.erase("defaultResources");
}

json SpecOf(const pb::Template& template_message) {
  pb::Template copy = template_message;
  copy.clear_name();
  copy.clear_namespace_();
  copy.clear_status();
  copy.clear_created_at();
  copy.clear_default_resources();
  std::string text;
  google::protobuf::util::MessageToJsonString(copy, &text);
  json spec = json::parse(text);
  ApplyFlatResources(template_message.default_resources(), spec);
  return spec;
}

pb::Template TemplateFromObject(const json& object) {
  json spec = object.value("spec", json::object());
  if (!spec.is_object())
    spec = json::object();
  QuantitiesAsStrings(spec);
  if (const auto resources = spec.find("defaultResources"); resources != spec.end())
    *resources = resources->is_object() ? FlatResources(*resources) : json::object();
  pb::Template message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(spec.dump(), &message, options).ok()) {
    // A resource that does not fit the schema (written around this service) still shows its name.
    message.Clear();
  }
  const json metadata = object.value("metadata", json::object());
  message.set_name(metadata.value("name", ""));
  message.set_namespace_(metadata.value("namespace", ""));
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
