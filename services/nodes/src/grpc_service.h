// The gRPC face of the nodes service: every handler checks access first (rpc::Handle), then reads
// the published cache snapshot or hands the request to NodeAdmin, Drainer or PodLogReader.
#pragma once

#include <chrono>

#include "cluster_cache.h"
#include "core/config.h"
#include "drain.h"
#include "follow_limiter.h"
#include "node_admin.h"
#include "peers.h"
#include "pod_logs.h"
#include "rpc/audit.h"
#include "rpc/call.h"
#include "streamspace/nodes/v1/nodes.grpc.pb.h"

namespace ss::nodes {

struct ServiceOptions {
  // Time between two ticks of WatchClusterMetrics.
  std::chrono::milliseconds metrics_interval{5000};
  // A drain ends this long before its call's deadline, so that its report still reaches the
  // caller.
  std::chrono::milliseconds drain_deadline_margin{2000};
  // Most pod logs followed at once by one user, and by everyone (each holds a gRPC thread).
  int follow_limit_per_user = 4;
  int follow_limit_total = 64;
  // The same for metrics watches (the web UI opens one per page that shows them).
  int watch_limit_per_user = 8;
  int watch_limit_total = 128;
};

// METRICS_INTERVAL, FOLLOW_LIMIT_PER_USER, FOLLOW_LIMIT_TOTAL, WATCH_LIMIT_PER_USER and
// WATCH_LIMIT_TOTAL, and the options from them.
std::vector<core::Variable> ServiceVariables();
ServiceOptions ServiceOptionsFrom(const core::Config& config);

class NodesGrpcService final : public pb::NodesService::Service {
 public:
  NodesGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                   std::shared_ptr<rpc::Auditor> auditor, kube::Client& client, ClusterCache& cache,
                   Peers& peers, ServiceOptions options);

  grpc::Status ListNodes(grpc::ServerContext* context, const pb::ListNodesRequest* request,
                         pb::ListNodesResponse* response) override;
  grpc::Status GetNodeStats(grpc::ServerContext* context, const pb::GetNodeStatsRequest* request,
                            pb::NodeStats* response) override;
  grpc::Status GetNode(grpc::ServerContext* context, const pb::GetNodeRequest* request,
                       pb::Node* response) override;
  grpc::Status SetNodeLabel(grpc::ServerContext* context, const pb::SetNodeLabelRequest* request,
                            pb::Node* response) override;
  grpc::Status RemoveNodeLabel(grpc::ServerContext* context,
                               const pb::RemoveNodeLabelRequest* request,
                               pb::Node* response) override;
  grpc::Status AddNodeTaint(grpc::ServerContext* context, const pb::AddNodeTaintRequest* request,
                            pb::Node* response) override;
  grpc::Status RemoveNodeTaint(grpc::ServerContext* context,
                               const pb::RemoveNodeTaintRequest* request,
                               pb::Node* response) override;
  grpc::Status CordonNode(grpc::ServerContext* context, const pb::CordonNodeRequest* request,
                          pb::Node* response) override;
  grpc::Status UncordonNode(grpc::ServerContext* context, const pb::UncordonNodeRequest* request,
                            pb::Node* response) override;
  grpc::Status DrainNode(grpc::ServerContext* context, const pb::DrainNodeRequest* request,
                         pb::DrainReport* response) override;
  grpc::Status GetClusterMetrics(grpc::ServerContext* context,
                                 const pb::GetClusterMetricsRequest* request,
                                 pb::ClusterMetrics* response) override;
  grpc::Status GetPodLogs(grpc::ServerContext* context, const pb::GetPodLogsRequest* request,
                          pb::PodLogs* response) override;
  grpc::Status WatchClusterMetrics(grpc::ServerContext* context,
                                   const pb::WatchClusterMetricsRequest* request,
                                   grpc::ServerWriter<pb::ClusterMetricsEvent>* writer) override;
  grpc::Status FollowPodLogs(grpc::ServerContext* context, const pb::FollowPodLogsRequest* request,
                             grpc::ServerWriter<pb::PodLogEvent>* writer) override;

 private:
  // UNAVAILABLE until the caches have been filled once.
  grpc::Status Ready() const;
  // Runs a node change and answers the stored node's view.
  template <typename Change>
  grpc::Status ChangeNode(Change&& change, pb::Node* response);

  rpc::AccessGuard guard_;
  ClusterCache& cache_;
  Peers& peers_;
  NodeAdmin admin_;
  Drainer drainer_;
  PodLogReader logs_;
  const ServiceOptions options_;
  FollowLimiter follows_;
  FollowLimiter watches_;
};

}  // namespace ss::nodes
