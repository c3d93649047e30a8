// Reading Kubernetes objects without surprises: a missing or mistyped field reads as null or "",
// never as an exception or an inserted key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ss::session {

// object[key], or null when `object` is not an object or has no such key.
inline const nlohmann::json& Child(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// object[key] as a string: a string as it is, a number as it prints, anything else "".
inline std::string Text(const nlohmann::json& object, const char* key) {
  const nlohmann::json& value = Child(object, key);
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.is_number() ? value.dump() : "";
}

// A field of metadata (name, namespace, uid, resourceVersion, creationTimestamp, ...).
inline std::string Meta(const nlohmann::json& object, const char* key) {
  return Text(Child(object, "metadata"), key);
}

}  // namespace ss::session
