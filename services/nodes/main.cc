// nodes-service: wiring only. The caches live in src/cluster_cache, the answers in src/queries,
// the changes in src/node_admin and src/drain, pod logs in src/pod_logs. No schema: the service
// owns no tables (admin actions are logged with an "audit:" prefix).
#include <spdlog/spdlog.h>

#include "authn/remote.h"
#include "cluster_cache.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "grpc_service.h"
#include "kube/client.h"
#include "kube/config.h"
#include "rpc/server.h"

namespace ss::nodes {
namespace {

constexpr std::chrono::seconds kReadyTimeout{30};

std::vector<core::Variable> Variables() {
  std::vector<core::Variable> variables = core::ProcessVariables(9105);
  for (auto& variable : rpc::ServerVariables("127.0.0.1:9005", 256,
                                             "Every followed log and metrics stream holds one.")) {
    variables.push_back(std::move(variable));
  }
  for (auto& variable : authn::AuthnVariables())
    variables.push_back(std::move(variable));
  variables.insert(
      variables.end(),
      {
          {"KUBECONFIG", "",
           "kubeconfig file(s); empty: in-cluster service account, else ~/.kube/config."},
          {"NAMESPACE", "streamspace", "Namespace of the Session resources (counted by phase)."},
          {"METRICS_POLL_INTERVAL", "5s", "How often node usage is read from metrics.k8s.io."},
          {"METRICS_INTERVAL", "5s", "Time between two ticks of the cluster metrics stream."},
          {"FOLLOW_LIMIT_PER_USER", "4", "Most pod logs one user may follow at once."},
          {"FOLLOW_LIMIT_TOTAL", "64",
           "Most pod logs followed at once by everyone (keep well below GRPC_THREADS)."},
      });
  return variables;
}

std::chrono::milliseconds AtLeast(const core::Config& config, std::string_view name,
                                  std::chrono::milliseconds minimum) {
  const std::chrono::milliseconds value = config.GetDuration(name);
  if (value < minimum) {
    throw core::ConfigError(std::string(name) + " must be at least " +
                            std::to_string(minimum.count()) + "ms");
  }
  return value;
}

int AtLeastOne(const core::Config& config, std::string_view name) {
  const int value = config.GetInt(name);
  if (value < 1)
    throw core::ConfigError(std::string(name) + " must be at least 1");
  return value;
}

int Run(int argc, char** argv) {
  const core::Config config = core::Config::Load(
      "nodes-service",
      "StreamSpace nodes: cluster nodes, drain, pod logs and cluster metrics for admins.",
      Variables(), argc, argv);
  core::SetupLogging("nodes-service", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));

  auto kube_config = kube::LoadConfig();
  if (!kube_config)
    throw std::runtime_error("Kubernetes configuration: " + kube_config.error().message);
  kube::ClientPtr client = kube::MakeClient(*kube_config);

  CacheOptions cache_options;
  cache_options.session_namespace = config.Get("NAMESPACE");
  cache_options.metrics_poll_interval =
      AtLeast(config, "METRICS_POLL_INTERVAL", std::chrono::milliseconds(200));
  ClusterCache cache(*client, cache_options);
  cache.Start();

  authn::RemoteVerifier remote(config, "nodes");
  if (!remote.WaitReady(kReadyTimeout))
    spdlog::warn("no signing keys from auth yet; calls are refused until they arrive");
  if (!cache.WaitSynced(kReadyTimeout))
    spdlog::warn("nodes and pods not listed yet; calls answer UNAVAILABLE until they are");

  ServiceOptions service_options;
  service_options.metrics_interval =
      AtLeast(config, "METRICS_INTERVAL", std::chrono::milliseconds(200));
  service_options.follow_limit_per_user = AtLeastOne(config, "FOLLOW_LIMIT_PER_USER");
  service_options.follow_limit_total = AtLeastOne(config, "FOLLOW_LIMIT_TOTAL");
  NodesGrpcService service(remote.verifier(), *client, cache, service_options);
  rpc::ServeUntilSignal(config, "nodes-service", {&service});
  cache.Stop();
  spdlog::info("nodes-service stopped");
  return 0;
}

}  // namespace
}  // namespace ss::nodes

int main(int argc, char** argv) {
  return ss::core::RunMain("nodes-service", argc, argv, ss::nodes::Run);
}
