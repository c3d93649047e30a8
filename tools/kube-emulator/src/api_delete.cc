#include "api.h"
#include "selectors.h"

namespace kubeemu {
namespace {

std::string PropagationPolicy(const ResourceRequest& req) {
  const Json options = Json::parse(req.http.body.empty() ? "{}" : req.http.body, nullptr, false);
  if (options.is_object() && options.contains("propagationPolicy")) {
    return options["propagationPolicy"];
  }
  if (options.is_object() && options.value("orphanDependents", false)) {
    return "Orphan";
  }
  const std::string param = req.http.Param("propagationPolicy");
  return param.empty() ? "Background" : param;
}

// Removes the owner's reference from every object that names it (propagationPolicy Orphan).
void OrphanDependents(Cluster& cluster, const std::string& owner_uid) {
  for (const std::string& resource : cluster.store().Resources()) {
    for (const Json* object : cluster.store().List(resource, "")) {
      const Json refs = (*object)["metadata"].value("ownerReferences", Json::array());
      Json kept = Json::array();
      for (const auto& ref : refs) {
        if (ref.value("uid", "") != owner_uid) {
          kept.push_back(ref);
        }
      }
      if (kept.size() != refs.size()) {
        Json updated = *object;
        updated["metadata"]["ownerReferences"] = kept;
        cluster.Put(resource, std::move(updated));
      }
    }
  }
}

Json DeleteLocked(Cluster& cluster, const ResourceRequest& req, const std::string& name,
                  const std::string& policy) {
  const Json* object = cluster.store().Get(req.type.Key(), req.ns, name);
  Json current = *object;
  const std::string uid = current["metadata"].value("uid", "");
  if (policy == "Orphan") {
    OrphanDependents(cluster, uid);
  }
  if (req.type.kind == "Namespace") {
    current["metadata"]["deletionTimestamp"] = NowRfc3339();
    current["status"]["phase"] = "Terminating";
    return cluster.Put(req.type, std::move(current));
  }
  if (policy == "Foreground") {
    Json& finalizers = current["metadata"]["finalizers"];
    if (!finalizers.is_array()) {
      finalizers = Json::array();
    }
    if (std::find(finalizers.begin(), finalizers.end(), "foregroundDeletion") == finalizers.end()) {
      finalizers.push_back("foregroundDeletion");
    }
    cluster.Put(req.type, std::move(current));
  }
  return cluster.Delete(req.type.Key(), req.ns, name);
}

}  // namespace

HttpResponse DeleteObject(Cluster& cluster, const ResourceRequest& req) {
  const std::string policy = PropagationPolicy(req);
  std::lock_guard lock(cluster.mutex);
  const Json* object = cluster.store().Get(req.type.Key(), req.ns, req.name);
  if (object == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  const Json options = Json::parse(req.http.body.empty() ? "{}" : req.http.body, nullptr, false);
  const Json* uid = options.is_object() ? FindPath(options, "preconditions.uid") : nullptr;
  if (uid != nullptr && uid->is_string() && *uid != (*object)["metadata"].value("uid", "")) {
    return ErrorResponse(Conflict(req.Subject()));
  }
  if (req.http.Param("dryRun") == "All") {
    return JsonResponse(200, *object);
  }
  return JsonResponse(200, DeleteLocked(cluster, req, req.name, policy));
}

HttpResponse DeleteCollection(Cluster& cluster, const ResourceRequest& req) {
  const auto labels = LabelSelector::Parse(req.http.Param("labelSelector"));
  const auto fields = FieldSelector::Parse(req.http.Param("fieldSelector"));
  if (!labels || !fields) {
    return ErrorResponse(BadRequest("unable to parse requirement: invalid selector"));
  }
  const std::string policy = PropagationPolicy(req);
  std::lock_guard lock(cluster.mutex);
  std::vector<std::string> names;
  for (const Json* object : cluster.store().List(req.type.Key(), req.ns)) {
    if (labels->Matches((*object)["metadata"].value("labels", Json::object())) &&
        fields->Matches(*object)) {
      names.push_back((*object)["metadata"]["name"]);
    }
  }
  Json items = Json::array();
  for (const auto& name : names) {
    items.push_back(DeleteLocked(cluster, req, name, policy));
  }
  return JsonResponse(
      200, {{"kind", req.type.kind + "List"},
            {"apiVersion", req.type.GroupVersion()},
            {"metadata", {{"resourceVersion", std::to_string(cluster.store().Version())}}},
            {"items", std::move(items)}});
}

}  // namespace kubeemu
