// Which REST collection a call addresses: one small value type instead of per-kind code.
#pragma once

#include <string>
#include <string_view>

namespace ss::kube {

// A resource type: group ("" for core), version, plural, and whether it lives in namespaces.
struct ResourceRef {
  std::string group;
  std::string version;
  std::string plural;
  bool namespaced = true;

  // "v1" for core, "<group>/<version>" otherwise (an object's apiVersion).
  std::string ApiVersion() const;
  // /api/v1[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]; the namespace segment is left
  // out for cluster-scoped resources and for an empty `ns` (all namespaces).
  std::string Path(std::string_view ns, std::string_view name = {},
                   std::string_view subresource = {}) const;
};

// The resources StreamSpace touches.
namespace resources {
inline const ResourceRef kNamespaces{"", "v1", "namespaces", false};
inline const ResourceRef kNodes{"", "v1", "nodes", false};
inline const ResourceRef kPods{"", "v1", "pods", true};
inline const ResourceRef kServices{"", "v1", "services", true};
inline const ResourceRef kConfigMaps{"", "v1", "configmaps", true};
inline const ResourceRef kSecrets{"", "v1", "secrets", true};
inline const ResourceRef kPersistentVolumeClaims{"", "v1", "persistentvolumeclaims", true};
inline const ResourceRef kEvents{"", "v1", "events", true};
inline const ResourceRef kDeployments{"apps", "v1", "deployments", true};
inline const ResourceRef kDaemonSets{"apps", "v1", "daemonsets", true};
inline const ResourceRef kPodDisruptionBudgets{"policy", "v1", "poddisruptionbudgets", true};
inline const ResourceRef kLeases{"coordination.k8s.io", "v1", "leases", true};
inline const ResourceRef kIngresses{"networking.k8s.io", "v1", "ingresses", true};
inline const ResourceRef kCustomResourceDefinitions{"apiextensions.k8s.io", "v1",
                                                    "customresourcedefinitions", false};
inline const ResourceRef kSessions{"stream.streamspace.io", "v1alpha1", "sessions", true};
inline const ResourceRef kTemplates{"stream.streamspace.io", "v1alpha1", "templates", true};
}  // namespace resources

// True for resources served from a CustomResourceDefinition, which take only JSON merge patch
// and JSON patch (no strategic merge): every group that is not a built-in one.
bool IsCustomResource(const ResourceRef& ref);

}  // namespace ss::kube
