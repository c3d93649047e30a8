// The starting cluster: Kubernetes manifests in a multi-document YAML file, or a built-in default.
#pragma once

#include <string>

#include "cluster.h"

namespace kubeemu {

// The built-in starting cluster (see README.md): three nodes, one with GPUs, DaemonSets, a
// Deployment with a disruption budget, and the usual namespaces.
const std::string& DefaultClusterYaml();

// Creates every object of a multi-document YAML text in the cluster, as a create through the
// API would (uid, timestamps, defaults); nodes get ready status defaults. With `only_missing`,
// objects that exist already are left as they are. Throws on bad YAML.
void SeedCluster(Cluster& cluster, const std::string& yaml, bool only_missing = false);

}  // namespace kubeemu
