#include "kube/environment.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "kube/config.h"

namespace ss::kube {

std::vector<core::Variable> ClusterVariables(std::string namespace_help) {
  return {
      {"KUBECONFIG", "",
       "kubeconfig file(s); empty: in-cluster service account, else ~/.kube/config."},
      {"NAMESPACE", "streamspace", std::move(namespace_help)},
      {"KUBE_START_TIMEOUT", "60s",
       "At start, how long a Kubernetes configuration that cannot be read yet (a kubeconfig the "
       "API server has not written) is tried again, every second."},
  };
}

ClientPtr ClientFromEnvironment(const core::Config& config) {
  const auto deadline = std::chrono::steady_clock::now() + config.GetDuration("KUBE_START_TIMEOUT");
  for (;;) {
    auto loaded = LoadConfig();
    if (loaded)
      return MakeClient(std::move(*loaded));
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("Kubernetes configuration: " + loaded.error().message);
    spdlog::warn("Kubernetes configuration: {}; trying again in 1 s", loaded.error().message);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace ss::kube
