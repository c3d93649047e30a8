#include "kube/environment.h"

#include <stdexcept>

#include "kube/config.h"

namespace ss::kube {

std::vector<core::Variable> ClusterVariables(std::string namespace_help) {
  return {
      {"KUBECONFIG", "",
       "kubeconfig file(s); empty: in-cluster service account, else ~/.kube/config."},
      {"NAMESPACE", "streamspace", std::move(namespace_help)},
  };
}

ClientPtr ClientFromEnvironment() {
  auto config = LoadConfig();
  if (!config)
    throw std::runtime_error("Kubernetes configuration: " + config.error().message);
  return MakeClient(std::move(*config));
}

}  // namespace ss::kube
