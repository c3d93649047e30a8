#include "template_schema.h"

#include <functional>
#include <map>
#include <vector>

#include "kube/quantity.h"

namespace ss::catalog {
namespace {

using nlohmann::json;

enum class Kind { kString, kInteger, kBoolean, kObject, kArray, kQuantityMap, kAny };

// One node of the schema; objects list their properties, arrays their item.
struct Node {
  Kind kind = Kind::kAny;
  std::map<std::string, Node> properties;
  std::vector<std::string> required;
  std::vector<std::string> allowed;  // enum
  std::shared_ptr<Node> items;
};

Node Scalar(Kind kind) {
  Node node;
  node.kind = kind;
  return node;
}

Node Object(std::map<std::string, Node> properties, std::vector<std::string> required = {}) {
  Node node;
  node.kind = Kind::kObject;
  node.properties = std::move(properties);
  node.required = std::move(required);
  return node;
}

Node ArrayOf(Node item) {
  Node node;
  node.kind = Kind::kArray;
  node.items = std::make_shared<Node>(std::move(item));
  return node;
}

const Node& SpecSchema() {
  static const Node schema = [] {
    const Node text = Scalar(Kind::kString);
    const Node integer = Scalar(Kind::kInteger);
    const Node boolean = Scalar(Kind::kBoolean);
    Node app_type = text;
    app_type.allowed = {"desktop", "webapp"};
    return Object(
        {
            {"displayName", text},
            {"description", text},
            {"category", text},
            {"icon", text},
            {"baseImage", text},
            {"appType", app_type},
            {"defaultResources", Object({{"requests", Scalar(Kind::kQuantityMap)},
                                         {"limits", Scalar(Kind::kQuantityMap)}})},
            {"ports",
             ArrayOf(Object({{"name", text}, {"containerPort", integer}, {"protocol", text}},
                            {"containerPort"}))},
            {"env",
             ArrayOf(Object({{"name", text}, {"value", text}, {"valueFrom", Scalar(Kind::kObject)}},
                            {"name"}))},
            {"volumeMounts",
             ArrayOf(Object(
                 {{"name", text}, {"mountPath", text}, {"subPath", text}, {"readOnly", boolean}},
                 {"name", "mountPath"}))},
            {"vnc", Object({{"enabled", boolean},
                            {"port", integer},
                            {"protocol", text},
                            {"encryption", boolean}})},
            {"webapp",
             Object(
                 {{"enabled", boolean}, {"port", integer}, {"path", text}, {"healthCheck", text}})},
            {"capabilities", ArrayOf(text)},
            {"tags", ArrayOf(text)},
        },
        {"displayName", "baseImage"});
  }();
  return schema;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kString:
      return "a string";
    case Kind::kInteger:
      return "an integer";
    case Kind::kBoolean:
      return "true or false";
    case Kind::kObject:
    case Kind::kQuantityMap:
      return "an object";
    case Kind::kArray:
      return "a list";
    case Kind::kAny:
      break;
  }
  return "a value";
}

bool IsQuantity(const json& value) {
  if (value.is_number())
    return true;
  if (!value.is_string())
    return false;
  return kube::ParseQuantity(value.get_ref<const std::string&>()).has_value();
}

std::optional<std::string> Check(const Node& node, json& value, const std::string& where) {
  const auto wrong = [&] { return where + ": must be " + KindName(node.kind); };
  switch (node.kind) {
    case Kind::kAny:
      return std::nullopt;
    case Kind::kString:
      if (!value.is_string())
        return wrong();
      if (!node.allowed.empty() && std::find(node.allowed.begin(), node.allowed.end(),
                                             value.get<std::string>()) == node.allowed.end()) {
        std::string list;
        for (const auto& allowed : node.allowed)
          list += (list.empty() ? "" : ", ") + allowed;
        return where + ": must be one of " + list;
      }
      return std::nullopt;
    case Kind::kInteger:
      if (!value.is_number_integer())
        return wrong();
      return std::nullopt;
    case Kind::kBoolean:
      if (!value.is_boolean())
        return wrong();
      return std::nullopt;
    case Kind::kQuantityMap:
      if (!value.is_object())
        return wrong();
      for (auto& [key, quantity] : value.items()) {
        if (!IsQuantity(quantity))
          return where + "." + key + ": must be a quantity such as \"500m\" or \"2Gi\"";
      }
      return std::nullopt;
    case Kind::kArray: {
      if (!value.is_array())
        return wrong();
      for (size_t i = 0; i < value.size(); ++i) {
        if (auto problem = Check(*node.items, value[i], where + "[" + std::to_string(i) + "]"))
          return problem;
      }
      return std::nullopt;
    }
    case Kind::kObject: {
      if (!value.is_object())
        return wrong();
      if (node.properties.empty())
        return std::nullopt;  // free-form (valueFrom)
      for (auto it = value.begin(); it != value.end();) {
        if (node.properties.count(it.key()) == 0)
          it = value.erase(it);
        else
          ++it;
      }
      for (const auto& name : node.required) {
        if (!value.contains(name))
          return where + "." + name + ": is required";
      }
      for (auto& [name, child] : value.items()) {
        if (auto problem = Check(node.properties.at(name), child, where + "." + name))
          return problem;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// A quantity stays what it is but as a string: `cpu: 2` is "2".
void QuantitiesToStrings(json& map) {
  if (!map.is_object())
    return;
  for (auto& [key, value] : map.items()) {
    if (value.is_number_integer())
      value = std::to_string(value.get<long long>());
    else if (value.is_number())
      value = json(value.dump());
  }
}

// YAML has no string type of its own: `tags: [2024]` or `category: 3D` are meant as text.
void ScalarToString(json& value) {
  if (value.is_number() || value.is_boolean())
    value = value.is_number_integer() ? std::to_string(value.get<long long>()) : value.dump();
}

}  // namespace

std::optional<std::string> CheckTemplateSpec(json& spec) {
  return Check(SpecSchema(), spec, "spec");
}

void NormalizeCatalogSpec(json& spec) {
  if (!spec.is_object())
    return;
  if (!spec.contains("vnc") && spec.contains("kasmvnc")) {
    spec["vnc"] = spec["kasmvnc"];
  }
  spec.erase("kasmvnc");
  for (const char* field : {"displayName", "description", "category", "icon", "baseImage"}) {
    if (spec.contains(field))
      ScalarToString(spec[field]);
  }
  for (const char* list : {"tags", "capabilities"}) {
    if (spec.contains(list) && spec[list].is_array()) {
      for (auto& item : spec[list])
        ScalarToString(item);
    }
  }
  auto found = spec.find("defaultResources");
  if (found == spec.end() || !found->is_object())
    return;
  json& resources = *found;
  json flat = json::object();
  for (auto it = resources.begin(); it != resources.end();) {
    if (it.key() != "requests" && it.key() != "limits") {
      flat[it.key()] = it.value();
      it = resources.erase(it);
    } else {
      ++it;
    }
  }
  if (!flat.empty()) {
    for (const char* side : {"requests", "limits"}) {
      json& target = resources[side];
      if (!target.is_object())
        target = json::object();
      for (auto& [key, value] : flat.items()) {
        if (!target.contains(key))
          target[key] = value;
      }
    }
  }
  for (const char* side : {"requests", "limits"}) {
    if (resources.contains(side))
      QuantitiesToStrings(resources[side]);
  }
}

}  // namespace ss::catalog
