// What every service that talks to Kubernetes declares and does at start-up: its variables
// (KUBECONFIG, NAMESPACE, KUBE_START_TIMEOUT) and its client.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "kube/client.h"

namespace ss::kube {

// KUBECONFIG, NAMESPACE (default "streamspace"; `namespace_help` says what lives there) and
// KUBE_START_TIMEOUT.
std::vector<core::Variable> ClusterVariables(std::string namespace_help);

// LoadConfig() (KUBECONFIG, in-cluster, or ~/.kube/config) and MakeClient(). A configuration that
// cannot be read yet (compose starts the emulator, which writes the kubeconfig, beside the
// services) is tried again every second for KUBE_START_TIMEOUT; then throws std::runtime_error
// naming what is wrong. An API server that does not answer yet needs no wait here: the watchers
// retry with backoff, and the service is not ready until they have listed.
ClientPtr ClientFromEnvironment(const core::Config& config);

}  // namespace ss::kube
