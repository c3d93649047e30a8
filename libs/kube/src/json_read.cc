#include "kube/json_read.h"

namespace ss::kube {

using nlohmann::json;

const json& Child(const json& object, std::string_view key) {
  static const json kNull;
  if (!object.is_object())
    return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

const json& ObjectAt(const json& object, std::string_view key) {
  static const json kEmpty = json::object();
  const json& child = Child(object, key);
  return child.is_object() ? child : kEmpty;
}

const json& ArrayAt(const json& object, std::string_view key) {
  static const json kEmpty = json::array();
  const json& child = Child(object, key);
  return child.is_array() ? child : kEmpty;
}

std::string AsText(const json& value) {
  if (value.is_string())
    return value.get<std::string>();
  return value.is_number() ? value.dump() : std::string();
}

std::string StringAt(const json& object, std::string_view key) {
  return AsText(Child(object, key));
}

std::string MetaString(const json& object, std::string_view key) {
  return StringAt(Child(object, "metadata"), key);
}

}  // namespace ss::kube
