#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "queries.h"
#include "rpc/handler.h"
#include "validation.h"

namespace ss::nodes {
namespace {

constexpr int kDefaultDrainTimeoutSeconds = 300;
constexpr int kMaxDrainTimeoutSeconds = 3600;

using Clock = std::chrono::steady_clock;

// The call's deadline on the steady clock (max() when it has none).
Clock::time_point CallDeadline(const grpc::ServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max())
    return Clock::time_point::max();
  return Clock::now() + (deadline - std::chrono::system_clock::now());
}

// Who a stream limit counts against.
std::string CallerKey(const rpc::Principal& caller) {
  return caller.user_id.empty() ? caller.username : caller.user_id;
}

// A peer's failure as this call's answer: UNAVAILABLE, whatever the peer said (its own codes, such
// as PERMISSION_DENIED for our service token, are not the caller's doing).
grpc::Status PeerFailure(const char* peer, const grpc::Status& status) {
  spdlog::warn("{}: {}", peer, status.error_message());
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      std::string(peer) + " is unavailable: " + status.error_message());
}

}  // namespace

std::vector<core::Variable> ServiceVariables() {
  return {
      {"METRICS_INTERVAL", "5s", "Time between two ticks of the cluster metrics stream."},
      {"FOLLOW_LIMIT_PER_USER", "4", "Most pod logs one user may follow at once."},
      {"FOLLOW_LIMIT_TOTAL", "64",
       "Most pod logs followed at once by everyone (keep well below GRPC_THREADS)."},
      {"WATCH_LIMIT_PER_USER", "8", "Most cluster metrics streams one user may open at once."},
      {"WATCH_LIMIT_TOTAL", "128",
       "Most cluster metrics streams open at once (with FOLLOW_LIMIT_TOTAL, below GRPC_THREADS)."},
  };
}

ServiceOptions ServiceOptionsFrom(const core::Config& config) {
  ServiceOptions options;
  options.metrics_interval = config.GetDuration("METRICS_INTERVAL", std::chrono::milliseconds(200));
  options.follow_limit_per_user = config.GetInt("FOLLOW_LIMIT_PER_USER", 1);
  options.follow_limit_total = config.GetInt("FOLLOW_LIMIT_TOTAL", 1);
  options.watch_limit_per_user = config.GetInt("WATCH_LIMIT_PER_USER", 1);
  options.watch_limit_total = config.GetInt("WATCH_LIMIT_TOTAL", 1);
  return options;
}

NodesGrpcService::NodesGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                   std::shared_ptr<rpc::Auditor> auditor, kube::Client& client,
                                   ClusterCache& cache, Peers& peers, ServiceOptions options)
    : guard_(*pb::ListNodesRequest::descriptor()->file()->FindServiceByName("NodesService"),
             std::move(verifier), std::move(auditor)),
      cache_(cache),
      peers_(peers),
      admin_(client),
      drainer_(client),
      logs_(client, cache),
      options_(options),
      follows_(options.follow_limit_per_user, options.follow_limit_total, "pod log follows"),
      watches_(options.watch_limit_per_user, options.watch_limit_total, "metrics streams") {}

grpc::Status NodesGrpcService::Ready() const {
  if (!cache_.synced())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the cluster cache is still loading");
  return grpc::Status::OK;
}

template <typename Change>
grpc::Status NodesGrpcService::ChangeNode(Change&& change, pb::Node* response) {
  nlohmann::json stored;
  grpc::Status status = change(&stored);
  if (status.ok())
    *response = WithAge(cache_.ApplyWrittenNode(stored), std::chrono::system_clock::now());
  return status;
}

grpc::Status NodesGrpcService::ListNodes(grpc::ServerContext* context,
                                         const pb::ListNodesRequest* request,
                                         pb::ListNodesResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    return ListNodesPage(*cache_.snapshot(), *request, response);
  });
}

grpc::Status NodesGrpcService::GetNodeStats(grpc::ServerContext* context,
                                            const pb::GetNodeStatsRequest* request,
                                            pb::NodeStats* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    *response = cache_.snapshot()->stats;
    return grpc::Status::OK;
  });
}

grpc::Status NodesGrpcService::GetNode(grpc::ServerContext* context,
                                       const pb::GetNodeRequest* request, pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    if (grpc::Status status = CheckNodeName(request->name()); !status.ok())
      return status;
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    const auto snapshot = cache_.snapshot();
    const pb::Node* node = snapshot->Find(request->name());
    if (node == nullptr)
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "node " + request->name() + " not found");
    *response = WithAge(*node, std::chrono::system_clock::now());
    return grpc::Status::OK;
  });
}

grpc::Status NodesGrpcService::SetNodeLabel(grpc::ServerContext* context,
                                            const pb::SetNodeLabelRequest* request,
                                            pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.SetLabel(request->name(), request->key(), request->value(), stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::RemoveNodeLabel(grpc::ServerContext* context,
                                               const pb::RemoveNodeLabelRequest* request,
                                               pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.RemoveLabel(request->name(), KeyFromPath(request->key()), stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::AddNodeTaint(grpc::ServerContext* context,
                                            const pb::AddNodeTaintRequest* request,
                                            pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.AddTaint(request->name(), request->key(), request->value(),
                                 request->effect(), stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::RemoveNodeTaint(grpc::ServerContext* context,
                                               const pb::RemoveNodeTaintRequest* request,
                                               pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.RemoveTaint(request->name(), KeyFromPath(request->key()), request->effect(),
                                    stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::CordonNode(grpc::ServerContext* context,
                                          const pb::CordonNodeRequest* request,
                                          pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.SetUnschedulable(request->name(), true, stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::UncordonNode(grpc::ServerContext* context,
                                            const pb::UncordonNodeRequest* request,
                                            pb::Node* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return ChangeNode(
        [&](nlohmann::json* stored) {
          return admin_.SetUnschedulable(request->name(), false, stored);
        },
        response);
  });
}

grpc::Status NodesGrpcService::DrainNode(grpc::ServerContext* context,
                                         const pb::DrainNodeRequest* request,
                                         pb::DrainReport* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    if (grpc::Status status = CheckNodeName(request->name()); !status.ok())
      return status;
    const int timeout =
        request->has_timeout_seconds() ? request->timeout_seconds() : kDefaultDrainTimeoutSeconds;
    if (timeout < 1 || timeout > kMaxDrainTimeoutSeconds) {
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          "timeoutSeconds must be between 1 and " + std::to_string(kMaxDrainTimeoutSeconds));
    }
    if (request->has_grace_period_seconds() && request->grace_period_seconds() < 0)
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "grace_period_seconds must be >= 0");
    DrainOptions options;
    // The seed's drain left DaemonSet pods alone, and the web UI does not send the flag.
    const bool ignore_daemon_sets =
        !request->has_ignore_daemon_sets() || request->ignore_daemon_sets();
    options.flags = {ignore_daemon_sets, request->delete_empty_dir_data(), request->force()};
    if (request->has_grace_period_seconds())
      options.grace_period_seconds = request->grace_period_seconds();
    const Clock::time_point call_deadline = CallDeadline(*context);
    options.deadline = Clock::now() + std::chrono::seconds(timeout);
    if (call_deadline != Clock::time_point::max())
      options.deadline = std::min(options.deadline, call_deadline - options_.drain_deadline_margin);
    options.cancelled = [context] { return context->IsCancelled(); };
    options.cordoned = [this](const nlohmann::json& node) { cache_.ApplyWrittenNode(node); };
    spdlog::info("audit: {} drains node {} (timeout {}s)", call.principal().username,
                 request->name(), timeout);
    return drainer_.Drain(request->name(), options, response);
  });
}

grpc::Status NodesGrpcService::GetClusterMetrics(grpc::ServerContext* context,
                                                 const pb::GetClusterMetricsRequest* request,
                                                 pb::ClusterMetrics* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    pb::UserCounts users;
    if (grpc::Status status = peers_.UserCounts(&users); !status.ok())
      return PeerFailure("auth", status);
    *response->mutable_cluster() = BuildClusterOverview(*cache_.snapshot(), users);
    return grpc::Status::OK;
  });
}

grpc::Status NodesGrpcService::GetPodLogs(grpc::ServerContext* context,
                                          const pb::GetPodLogsRequest* request,
                                          pb::PodLogs* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    return logs_.Tail(call.principal(), *request, response);
  });
}

grpc::Status NodesGrpcService::WatchClusterMetrics(
    grpc::ServerContext* context, const pb::WatchClusterMetricsRequest* request,
    grpc::ServerWriter<pb::ClusterMetricsEvent>* writer) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    const rpc::Principal& caller = call.principal();
    FollowLimiter::Slot slot;
    if (grpc::Status status = watches_.Acquire(CallerKey(caller), &slot); !status.ok())
      return status;
    pb::ClusterMetricsEvent event;
    event.set_type("metrics_update");
    pb::MetricsUpdate& update = *event.mutable_metrics();
    pb::UserCounts users;
    while (rpc::StreamOpen(*context)) {
      // A peer that fails for a tick leaves the figures of the last one: the stream goes on.
      int32_t connections = 0;
      if (grpc::Status status = peers_.ActiveConnections(caller.username, &connections);
          status.ok()) {
        update.set_active_connections(connections);
      } else {
        spdlog::warn("metrics stream: connections of {}: {}", caller.username,
                     status.error_message());
      }
      if (caller.admin()) {
        if (grpc::Status status = peers_.UserCounts(&users); !status.ok())
          spdlog::warn("metrics stream: user counts: {}", status.error_message());
        *update.mutable_cluster() = BuildClusterOverview(*cache_.snapshot(), users);
      }
      if (!writer->Write(event))
        break;
      const auto next = Clock::now() + options_.metrics_interval;
      while (Clock::now() < next && rpc::StreamOpen(*context))
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(100), next - Clock::now()));
    }
    return rpc::StreamEnded();
  });
}

grpc::Status NodesGrpcService::FollowPodLogs(grpc::ServerContext* context,
                                             const pb::FollowPodLogsRequest* request,
                                             grpc::ServerWriter<pb::PodLogEvent>* writer) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    if (grpc::Status status = Ready(); !status.ok())
      return status;
    const rpc::Principal& caller = call.principal();
    FollowLimiter::Slot slot;
    if (grpc::Status status = follows_.Acquire(CallerKey(caller), &slot); !status.ok())
      return status;
    return logs_.Follow(
        call.principal(), *request,
        [writer](const pb::PodLogEvent& event) { return writer->Write(event); },
        [context] { return !rpc::StreamOpen(*context); });
  });
}

}  // namespace ss::nodes
