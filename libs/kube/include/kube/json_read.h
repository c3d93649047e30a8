// Reading Kubernetes objects without surprises: a missing or mistyped field reads as null, an
// empty object or list, or "", never as an exception or an inserted key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ss::kube {

// object[key] of any type; null when `object` is not an object or has no such key.
const nlohmann::json& Child(const nlohmann::json& object, std::string_view key);

// object[key] when it is an object, else an empty object (to read maps such as labels or
// capacity, and to chain: ObjectAt(ObjectAt(pod, "spec"), "nodeSelector")).
const nlohmann::json& ObjectAt(const nlohmann::json& object, std::string_view key);

// object[key] when it is a list, else an empty list.
const nlohmann::json& ArrayAt(const nlohmann::json& object, std::string_view key);

// A scalar as text: a string as it is, a number as it prints (int-or-string fields such as
// quantities and ports), anything else "".
std::string AsText(const nlohmann::json& value);

// AsText(Child(object, key)).
std::string StringAt(const nlohmann::json& object, std::string_view key);

// A field of the object's metadata (name, namespace, uid, resourceVersion, ...), as StringAt.
std::string MetaString(const nlohmann::json& object, std::string_view key);

}  // namespace ss::kube
