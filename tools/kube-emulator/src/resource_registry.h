// The resource types the emulator serves: the built-in kinds and those added by CRDs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "json_util.h"

namespace kubeemu {

// A printer column of a custom resource (`additionalPrinterColumns`).
struct PrinterColumn {
  std::string name;
  std::string type;
  std::string json_path;
  std::string description;
  int priority = 0;
};

// One servable resource (group, version, plural) and what is known about it.
struct ResourceType {
  std::string group;
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> subresources;  // "status", "scale", "log", "eviction"
  std::vector<std::string> verbs;
  std::vector<PrinterColumn> columns;  // custom resources only
  Json schema;                         // openAPIV3Schema of a custom resource, else null
  bool stored = true;                  // false for computed resources (metrics)

  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  // The store key shared by every version of the resource: "group/plural".
  std::string Key() const { return group + "/" + plural; }
  bool HasSubresource(const std::string& name) const;
};

// The set of served resources. Not thread-safe: the cluster lock guards it.
class ResourceRegistry {
 public:
  ResourceRegistry();

  const ResourceType* Find(const std::string& group, const std::string& version,
                           const std::string& plural) const;
  const ResourceType* FindKind(const std::string& group, const std::string& version,
                               const std::string& kind) const;
  // Served group versions, preferred version first within a group, core ("v1") first.
  std::vector<std::pair<std::string, std::vector<std::string>>> Groups() const;
  std::vector<const ResourceType*> InGroupVersion(const std::string& group,
                                                  const std::string& version) const;

  // Serves (or stops serving) what a CustomResourceDefinition declares.
  void ApplyCrd(const Json& crd);
  void RemoveCrd(const Json& crd);

 private:
  void Add(ResourceType type);

  std::vector<ResourceType> types_;
};

}  // namespace kubeemu
