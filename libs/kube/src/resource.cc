#include "kube/resource.h"

#include <array>

namespace ss::kube {

std::string ResourceRef::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceRef::Path(std::string_view ns, std::string_view name,
                              std::string_view subresource) const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) {
    path.append("/namespaces/").append(ns);
  }
  path.append("/").append(plural);
  if (!name.empty()) {
    path.append("/").append(name);
    if (!subresource.empty()) {
      path.append("/").append(subresource);
    }
  }
  return path;
}

bool IsCustomResource(const ResourceRef& ref) {
  static constexpr std::array<std::string_view, 17> kBuiltInGroups = {
      "",
      "apps",
      "batch",
      "policy",
      "autoscaling",
      "coordination.k8s.io",
      "networking.k8s.io",
      "rbac.authorization.k8s.io",
      "storage.k8s.io",
      "scheduling.k8s.io",
      "discovery.k8s.io",
      "events.k8s.io",
      "node.k8s.io",
      "certificates.k8s.io",
      "admissionregistration.k8s.io",
      "apiextensions.k8s.io",
      "metrics.k8s.io"};
  for (std::string_view group : kBuiltInGroups) {
    if (ref.group == group) {
      return false;
    }
  }
  return true;
}

}  // namespace ss::kube
