#include <spdlog/spdlog.h>

#include "controllers.h"
#include "disruption.h"

namespace kubeemu {
namespace {

struct ObjectRef {
  std::string resource;
  std::string ns;
  std::string name;
};

ObjectRef RefOf(const std::string& resource, const Json& object) {
  return {resource, object["metadata"].value("namespace", ""), object["metadata"]["name"]};
}

void RemoveFinalizer(Cluster& cluster, const ObjectRef& ref, const std::string& finalizer) {
  const Json* object = cluster.store().Get(ref.resource, ref.ns, ref.name);
  if (object == nullptr) {
    return;
  }
  Json updated = *object;
  Json& finalizers = updated["metadata"]["finalizers"];
  finalizers.erase(std::remove(finalizers.begin(), finalizers.end(), finalizer), finalizers.end());
  cluster.Put(ref.resource, std::move(updated));
  cluster.Delete(ref.resource, ref.ns, ref.name);
}

void EmptyNamespace(Cluster& cluster, const std::string& ns) {
  bool empty = true;
  for (const std::string& resource : cluster.store().Resources()) {
    std::vector<std::string> names;
    for (const Json* o : cluster.store().List(resource, ns)) {
      if (!(*o)["metadata"].contains("deletionTimestamp")) {
        names.push_back((*o)["metadata"]["name"]);
      }
      empty = false;
    }
    for (const auto& name : names) {
      cluster.Delete(resource, ns, name);
    }
  }
  if (empty) {
    cluster.store().Erase("/namespaces", "", ns);
    cluster.changed.notify_all();
  }
}

}  // namespace

void CollectGarbage(Cluster& cluster) {
  std::set<std::string> uids;
  std::map<std::string, std::vector<ObjectRef>> dependents;
  std::vector<ObjectRef> orphans;
  std::vector<ObjectRef> foreground;
  std::vector<std::string> terminating_namespaces;
  for (const std::string& resource : cluster.store().Resources()) {
    for (const Json* o : cluster.store().List(resource, "")) {
      uids.insert((*o)["metadata"].value("uid", ""));
    }
  }
  for (const std::string& resource : cluster.store().Resources()) {
    for (const Json* o : cluster.store().List(resource, "")) {
      const Json& meta = (*o)["metadata"];
      const Json refs = meta.value("ownerReferences", Json::array());
      bool has_owner = refs.empty();
      for (const auto& ref : refs) {
        const std::string uid = ref.value("uid", "");
        has_owner = has_owner || uids.contains(uid);
        dependents[uid].push_back(RefOf(resource, *o));
      }
      if (!has_owner && !meta.contains("deletionTimestamp")) {
        orphans.push_back(RefOf(resource, *o));
      }
      const Json finalizers = meta.value("finalizers", Json::array());
      if (meta.contains("deletionTimestamp") &&
          std::find(finalizers.begin(), finalizers.end(), "foregroundDeletion") !=
              finalizers.end()) {
        foreground.push_back(RefOf(resource, *o));
      }
      if (resource == "/namespaces" && meta.contains("deletionTimestamp")) {
        terminating_namespaces.push_back(meta["name"]);
      }
    }
  }
  for (const auto& ref : orphans) {
    spdlog::debug("garbage collecting {} {}/{}", ref.resource, ref.ns, ref.name);
    cluster.Delete(ref.resource, ref.ns, ref.name);
  }
  for (const auto& ref : foreground) {
    const Json* owner = cluster.store().Get(ref.resource, ref.ns, ref.name);
    if (owner == nullptr) {
      continue;
    }
    const auto& deps = dependents[(*owner)["metadata"].value("uid", "")];
    bool remaining = false;
    for (const auto& dep : deps) {
      if (cluster.store().Get(dep.resource, dep.ns, dep.name) != nullptr) {
        remaining = true;
        cluster.Delete(dep.resource, dep.ns, dep.name);
      }
    }
    if (!remaining) {
      RemoveFinalizer(cluster, ref, "foregroundDeletion");
    }
  }
  for (const auto& ns : terminating_namespaces) {
    EmptyNamespace(cluster, ns);
  }
}

}  // namespace kubeemu
