#include "patch.h"

namespace kubeemu {
namespace {

// Merge keys of the built-in types' lists, by field name (patchMergeKey in the Go types).
std::string MergeKeyFor(const std::string& field, const Json& patch_list) {
  static const std::map<std::string, std::string> kKeys = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"env", "name"},
      {"volumes", "name"},
      {"volumeMounts", "mountPath"},
      {"volumeDevices", "devicePath"},
      {"imagePullSecrets", "name"},
      {"conditions", "type"},
      {"taints", "key"},
      {"hostAliases", "ip"},
      {"ownerReferences", "uid"},
      {"addresses", "type"},
      {"readinessGates", "conditionType"},
      {"topologySpreadConstraints", "topologyKey"}};
  if (field == "ports") {
    for (const auto& item : patch_list) {
      if (item.is_object() && item.contains("containerPort")) {
        return "containerPort";
      }
    }
    return "port";
  }
  const auto it = kKeys.find(field);
  return it == kKeys.end() ? "" : it->second;
}

// Lists of scalars that merge as sets rather than replace.
bool IsMergedPrimitiveList(const std::string& field) {
  return field == "finalizers";
}

Json MergeMap(Json target, const Json& patch);

Json MergeList(const std::string& field, Json target, const Json& patch) {
  if (!target.is_array()) {
    target = Json::array();
  }
  if (IsMergedPrimitiveList(field)) {
    for (const auto& v : patch) {
      if (std::find(target.begin(), target.end(), v) == target.end()) {
        target.push_back(v);
      }
    }
    return target;
  }
  const std::string key = MergeKeyFor(field, patch);
  if (key.empty()) {
    return patch;
  }
  for (const auto& item : patch) {
    if (!item.is_object() || !item.contains(key)) {
      continue;
    }
    if (item.is_object() && item.value("$patch", "") == "replace") {
      Json replacement = item;
      replacement.erase("$patch");
      return Json::array({replacement});
    }
    auto existing = std::find_if(target.begin(), target.end(), [&](const Json& t) {
      return t.is_object() && t.contains(key) && t[key] == item[key];
    });
    if (item.value("$patch", "") == "delete") {
      if (existing != target.end()) {
        target.erase(existing);
      }
    } else if (existing != target.end()) {
      *existing = MergeMap(*existing, item);
    } else {
      target.push_back(MergeMap(Json::object(), item));
    }
  }
  return target;
}

Json MergeMap(Json target, const Json& patch) {
  if (!patch.is_object()) {
    return patch;
  }
  if (patch.value("$patch", "") == "replace") {
    Json replacement = patch;
    replacement.erase("$patch");
    return replacement;
  }
  if (!target.is_object()) {
    target = Json::object();
  }
  for (const auto& [key, value] : patch.items()) {
    if (key == "$patch" || key == "$retainKeys" || key.starts_with("$setElementOrder/")) {
      continue;
    }
    if (key.starts_with("$deleteFromPrimitiveList/")) {
      const std::string field = key.substr(key.find('/') + 1);
      if (target.contains(field) && target[field].is_array()) {
        Json& list = target[field];
        for (const auto& v : value) {
          list.erase(std::remove(list.begin(), list.end(), v), list.end());
        }
      }
      continue;
    }
    if (value.is_null()) {
      target.erase(key);
    } else if (value.is_object()) {
      if (value.value("$patch", "") == "delete") {
        target.erase(key);
      } else {
        target[key] = MergeMap(target.value(key, Json::object()), value);
      }
    } else if (value.is_array()) {
      target[key] = MergeList(key, target.value(key, Json::array()), value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

}  // namespace

Json ApplyMergePatch(Json target, const Json& patch) {
  target.merge_patch(patch);
  return target;
}

std::optional<Json> ApplyJsonPatch(const Json& target, const Json& patch, std::string& error) {
  try {
    return target.patch(patch);
  } catch (const Json::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

Json ApplyStrategicMergePatch(Json target, const Json& patch) {
  return MergeMap(std::move(target), patch);
}

}  // namespace kubeemu
