#include "resource_registry.h"

namespace kubeemu {
namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};

ResourceType Builtin(std::string group, std::string version, std::string plural,
                     std::string singular, std::string kind, bool namespaced,
                     std::vector<std::string> short_names = {},
                     std::vector<std::string> subresources = {}) {
  ResourceType t;
  t.group = std::move(group);
  t.version = std::move(version);
  t.plural = std::move(plural);
  t.singular = std::move(singular);
  t.kind = std::move(kind);
  t.namespaced = namespaced;
  t.short_names = std::move(short_names);
  t.subresources = std::move(subresources);
  t.verbs = kAllVerbs;
  return t;
}

}  // namespace

bool ResourceType::HasSubresource(const std::string& name) const {
  return std::find(subresources.begin(), subresources.end(), name) != subresources.end();
}

ResourceRegistry::ResourceRegistry() {
  Add(Builtin("", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {"status"}));
  Add(Builtin("", "v1", "nodes", "node", "Node", false, {"no"}, {"status"}));
  auto pods = Builtin("", "v1", "pods", "pod", "Pod", true, {"po"}, {"status", "log", "eviction"});
  pods.categories = {"all"};
  Add(pods);
  auto services = Builtin("", "v1", "services", "service", "Service", true, {"svc"}, {"status"});
  services.categories = {"all"};
  Add(services);
  Add(Builtin("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
              true, {"pvc"}, {"status"}));
  Add(Builtin("", "v1", "events", "event", "Event", true, {"ev"}));
  Add(Builtin("", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}));
  Add(Builtin("", "v1", "secrets", "secret", "Secret", true));
  Add(Builtin("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"},
              {"token"}));
  for (const char* kind : {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"}) {
    std::string singular = kind;
    std::transform(singular.begin(), singular.end(), singular.begin(), ::tolower);
    static const std::map<std::string, std::string> kShortNames = {{"deployment", "deploy"},
                                                                   {"replicaset", "rs"},
                                                                   {"daemonset", "ds"},
                                                                   {"statefulset", "sts"}};
    const std::string& short_name = kShortNames.at(singular);
    std::vector<std::string> subs = {"status"};
    if (singular != "daemonset") {
      subs.push_back("scale");
    }
    auto t = Builtin("apps", "v1", singular + "s", singular, kind, true, {short_name}, subs);
    t.categories = {"all"};
    Add(t);
  }
  Add(Builtin("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget",
              true, {"pdb"}, {"status"}));
  Add(Builtin("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, {"ing"},
              {"status"}));
  Add(Builtin("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true,
              {"netpol"}));
  auto autoscalers =
      Builtin("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
              "HorizontalPodAutoscaler", true, {"hpa"}, {"status"});
  autoscalers.categories = {"all"};
  Add(autoscalers);
  Add(Builtin("coordination.k8s.io", "v1", "leases", "lease", "Lease", true));
  constexpr const char* kRbac = "rbac.authorization.k8s.io";
  Add(Builtin(kRbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false));
  Add(Builtin(kRbac, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding",
              false));
  Add(Builtin(kRbac, "v1", "roles", "role", "Role", true));
  Add(Builtin(kRbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true));
  // Reviews are created and answered, never stored.
  for (const auto& [group, plural, kind, namespaced] :
       {std::tuple{"authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                   false},
        std::tuple{"authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview",
                   false},
        std::tuple{"authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false},
        std::tuple{"authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview",
                   true},
        std::tuple{"authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", false},
        std::tuple{"authentication.k8s.io", "tokenreviews", "TokenReview", false}}) {
    std::string singular = kind;
    std::transform(singular.begin(), singular.end(), singular.begin(), ::tolower);
    ResourceType t = Builtin(group, "v1", plural, singular, kind, namespaced);
    t.verbs = {"create"};
    t.stored = false;
    Add(t);
  }
  Add(Builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
              "CustomResourceDefinition", false, {"crd", "crds"}, {"status"}));
  for (const auto& [plural, kind, namespaced] :
       {std::tuple{"nodes", "NodeMetrics", false}, std::tuple{"pods", "PodMetrics", true}}) {
    ResourceType t = Builtin("metrics.k8s.io", "v1beta1", plural, "", kind, namespaced);
    t.verbs = {"get", "list"};
    t.stored = false;
    Add(t);
  }
}

void ResourceRegistry::Add(ResourceType type) {
  std::erase_if(types_, [&](const ResourceType& t) {
    return t.group == type.group && t.version == type.version && t.plural == type.plural;
  });
  types_.push_back(std::move(type));
}

const ResourceType* ResourceRegistry::Find(const std::string& group, const std::string& version,
                                           const std::string& plural) const {
  for (const auto& t : types_) {
    if (t.group == group && t.version == version && t.plural == plural) {
      return &t;
    }
  }
  return nullptr;
}

const ResourceType* ResourceRegistry::FindKind(const std::string& group, const std::string& version,
                                               const std::string& kind) const {
  for (const auto& t : types_) {
    if (t.group == group && t.version == version && t.kind == kind) {
      return &t;
    }
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::vector<std::string>>> ResourceRegistry::Groups() const {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& t : types_) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == t.group; });
    if (it == groups.end()) {
      groups.push_back({t.group, {t.version}});
    } else if (std::find(it->second.begin(), it->second.end(), t.version) == it->second.end()) {
      it->second.push_back(t.version);
    }
  }
  return groups;
}

std::vector<const ResourceType*> ResourceRegistry::InGroupVersion(
    const std::string& group, const std::string& version) const {
  std::vector<const ResourceType*> out;
  for (const auto& t : types_) {
    if (t.group == group && t.version == version) {
      out.push_back(&t);
    }
  }
  return out;
}

void ResourceRegistry::ApplyCrd(const Json& crd) {
  RemoveCrd(crd);
  const Json& spec = crd.value("spec", Json::object());
  const Json names = spec.value("names", Json::object());
  for (const auto& v : spec.value("versions", Json::array())) {
    if (!v.value("served", true)) {
      continue;
    }
    ResourceType t;
    t.group = spec.value("group", "");
    t.version = v.value("name", "");
    t.plural = names.value("plural", "");
    t.singular = names.value("singular", "");
    t.kind = names.value("kind", "");
    t.namespaced = spec.value("scope", "Namespaced") == "Namespaced";
    t.short_names = names.value("shortNames", std::vector<std::string>{});
    t.categories = names.value("categories", std::vector<std::string>{});
    t.verbs = kAllVerbs;
    const Json subs = v.value("subresources", Json::object());
    for (const auto& [name, value] : subs.items()) {
      t.subresources.push_back(name);
    }
    for (const auto& c : v.value("additionalPrinterColumns", Json::array())) {
      t.columns.push_back({c.value("name", ""), c.value("type", "string"), c.value("jsonPath", ""),
                           c.value("description", ""), c.value("priority", 0)});
    }
    t.schema = v.value("schema", Json::object()).value("openAPIV3Schema", Json::object());
    Add(std::move(t));
  }
}

void ResourceRegistry::RemoveCrd(const Json& crd) {
  const Json& spec = crd.value("spec", Json::object());
  const std::string group = spec.value("group", "");
  const std::string plural = spec.value("names", Json::object()).value("plural", "");
  std::erase_if(types_,
                [&](const ResourceType& t) { return t.group == group && t.plural == plural; });
}

}  // namespace kubeemu
