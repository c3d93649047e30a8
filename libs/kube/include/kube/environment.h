// What every service that talks to Kubernetes declares and does at start-up: its variables
// (KUBECONFIG, NAMESPACE) and its client.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "kube/client.h"

namespace ss::kube {

// KUBECONFIG and NAMESPACE (default "streamspace"); `namespace_help` says what lives there.
std::vector<core::Variable> ClusterVariables(std::string namespace_help);

// LoadConfig() (KUBECONFIG, in-cluster, or ~/.kube/config) and MakeClient(); throws
// std::runtime_error naming what is wrong, for a process that cannot start without a cluster.
ClientPtr ClientFromEnvironment();

}  // namespace ss::kube
