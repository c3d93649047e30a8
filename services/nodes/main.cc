// nodes-service: wiring only. The caches live in src/cluster_cache, the answers in src/queries,
// the changes in src/node_admin and src/drain, pod logs in src/pod_logs, the calls to auth and
// session in src/peers. No schema: the service
// owns no tables (admin actions are logged with an "audit:" prefix).
#include <spdlog/spdlog.h>

#include "authn/remote.h"
#include "cluster_cache.h"
#include "core/shutdown.h"
#include "grpc_service.h"
#include "kube/environment.h"
#include "rpc/audit.h"
#include "rpc/server.h"

namespace ss::nodes {
namespace {

constexpr std::chrono::seconds kReadyTimeout{30};
constexpr std::chrono::seconds kPeerDeadline{5};

int Run(int argc, char** argv) {
  const core::Config config = core::StartProcess(
      "nodes-service",
      "StreamSpace nodes: cluster nodes, drain, pod logs and cluster metrics for admins.",
      core::JoinVariables(
          {rpc::ServerVariables(9105, "127.0.0.1:9005", 256,
                                "Every followed log and metrics stream holds one."),
           authn::AuthnVariables(),
           kube::ClusterVariables("Namespace of the Session resources (counted by phase)."),
           CacheVariables(),
           ServiceVariables(),
           {{"SESSION_ADDR", "127.0.0.1:9002",
             "The session service (host:port): a caller's active connections."}}}),
      argc, argv);
  const kube::ClientPtr client = kube::ClientFromEnvironment(config);
  ClusterCache cache(*client, CacheOptionsFrom(config));
  cache.Start();

  authn::RemoteVerifier remote(config, "nodes");
  remote.WaitReady(kReadyTimeout);
  if (!cache.WaitSynced(kReadyTimeout))
    spdlog::warn("nodes and pods not listed yet; calls answer UNAVAILABLE until they are");

  GrpcPeers peers(
      remote.channel(),
      grpc::CreateChannel(config.Get("SESSION_ADDR"), grpc::InsecureChannelCredentials()),
      remote.credentials(), kPeerDeadline);
  NodesGrpcService service(remote.verifier(), rpc::AuditorFor(remote), *client, cache, peers,
                           ServiceOptionsFrom(config));
  rpc::ServeUntilSignal(config, "nodes-service", {&service});
  return 0;
}

}  // namespace
}  // namespace ss::nodes

int main(int argc, char** argv) {
  return ss::core::RunMain("nodes-service", argc, argv, ss::nodes::Run);
}
