#include "node_admin.h"

#include <spdlog/spdlog.h>

#include "kube/grpc_status.h"
#include "validation.h"

namespace ss::nodes {
namespace {

using nlohmann::json;

grpc::Status NotFound(std::string message) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, std::move(message));
}

}  // namespace

grpc::Status NodeAdmin::Patch(const std::string& node, const json& patch, json* stored) {
  auto patched = client_.Patch(kube::resources::kNodes, "", node, kube::PatchType::kMerge, patch);
  if (!patched)
    return kube::ToGrpcStatus(patched.error(), "node " + node);
  *stored = std::move(*patched);
  return grpc::Status::OK;
}

grpc::Status NodeAdmin::SetLabel(const std::string& node, const std::string& key,
                                 const std::string& value, json* stored) {
  for (const grpc::Status& status :
       {CheckNodeName(node), CheckWritableKey(key), CheckLabelValue(value)}) {
    if (!status.ok())
      return status;
  }
  grpc::Status status = Patch(node, {{"metadata", {{"labels", {{key, value}}}}}}, stored);
  if (status.ok())
    spdlog::info("audit: node {} label {}={} set", node, key, value);
  return status;
}

grpc::Status NodeAdmin::RemoveLabel(const std::string& node, const std::string& key, json* stored) {
  for (const grpc::Status& status : {CheckNodeName(node), CheckWritableKey(key)}) {
    if (!status.ok())
      return status;
  }
  auto current = client_.Get(kube::resources::kNodes, "", node);
  if (!current)
    return kube::ToGrpcStatus(current.error(), "node " + node);
  if (!(*current)["metadata"].value("labels", json::object()).contains(key))
    return NotFound("node " + node + " has no label " + key);
  grpc::Status status = Patch(node, {{"metadata", {{"labels", {{key, nullptr}}}}}}, stored);
  if (status.ok())
    spdlog::info("audit: node {} label {} removed", node, key);
  return status;
}

grpc::Status NodeAdmin::AddTaint(const std::string& node, const std::string& key,
                                 const std::string& value, const std::string& effect,
                                 json* stored) {
  for (const grpc::Status& status : {CheckNodeName(node), CheckWritableKey(key),
                                     CheckLabelValue(value), CheckTaintEffect(effect)}) {
    if (!status.ok())
      return status;
  }
  auto updated = kube::UpdateWithRetry(client_, kube::resources::kNodes, "", node, [&](json& n) {
    json& taints = n["spec"]["taints"];
    if (!taints.is_array())
      taints = json::array();
    for (json& taint : taints) {
      if (taint.value("key", "") == key && taint.value("effect", "") == effect) {
        if (taint.value("value", "") == value)
          return false;
        taint["value"] = value;
        return true;
      }
    }
    json taint = {{"key", key}, {"effect", effect}};
    if (!value.empty())
      taint["value"] = value;
    taints.push_back(std::move(taint));
    return true;
  });
  if (!updated)
    return kube::ToGrpcStatus(updated.error(), "node " + node);
  *stored = std::move(*updated);
  spdlog::info("audit: node {} taint {}={}:{} added", node, key, value, effect);
  return grpc::Status::OK;
}

grpc::Status NodeAdmin::RemoveTaint(const std::string& node, const std::string& key,
                                    const std::string& effect, json* stored) {
  for (const grpc::Status& status :
       {CheckNodeName(node), CheckWritableKey(key),
        effect.empty() ? grpc::Status::OK : CheckTaintEffect(effect)}) {
    if (!status.ok())
      return status;
  }
  bool found = false;
  auto updated = kube::UpdateWithRetry(client_, kube::resources::kNodes, "", node, [&](json& n) {
    json& spec = n["spec"];
    json taints = spec.value("taints", json::array());
    const size_t before = taints.size();
    taints.erase(std::remove_if(taints.begin(), taints.end(),
                                [&](const json& taint) {
                                  return taint.value("key", "") == key &&
                                         (effect.empty() || taint.value("effect", "") == effect);
                                }),
                 taints.end());
    found = taints.size() != before;
    if (!found)
      return false;
    if (taints.empty())
      spec.erase("taints");
    else
      spec["taints"] = std::move(taints);
    return true;
  });
  if (!updated)
    return kube::ToGrpcStatus(updated.error(), "node " + node);
  if (!found)
    return NotFound("node " + node + " has no taint " + key + (effect.empty() ? "" : ":" + effect));
  *stored = std::move(*updated);
  spdlog::info("audit: node {} taint {}{} removed", node, key, effect.empty() ? "" : ":" + effect);
  return grpc::Status::OK;
}

grpc::Status NodeAdmin::SetUnschedulable(const std::string& node, bool unschedulable,
                                         json* stored) {
  if (grpc::Status status = CheckNodeName(node); !status.ok())
    return status;
  grpc::Status status = Patch(
      node, {{"spec", {{"unschedulable", unschedulable ? json(true) : json(nullptr)}}}}, stored);
  if (status.ok())
    spdlog::info("audit: node {} {}", node, unschedulable ? "cordoned" : "uncordoned");
  return status;
}

}  // namespace ss::nodes
