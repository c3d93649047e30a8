// Draining a node as `kubectl drain` does: plan what happens to each pod under the flags
// (refusing the whole drain, before anything changes, when a pod may not be evicted), cordon,
// evict through the Eviction API (retrying pods a disruption budget protects, with backoff, until
// the timeout), wait until the evicted pods are gone, and report each pod's fate.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kube/client.h"
#include "pod_summary.h"
#include "streamspace/nodes/v1/nodes.pb.h"

namespace ss::nodes {

namespace pb = streamspace::nodes::v1;

struct DrainFlags {
  bool ignore_daemon_sets = false;
  bool delete_empty_dir_data = false;
  bool force = false;
};

struct PlannedPod {
  PodSummary pod;
  std::string reason;
};

struct DrainPlan {
  std::vector<PlannedPod> evict;
  std::vector<PlannedPod> skip;
  // Pods the flags do not allow to evict; any of them refuses the drain.
  std::vector<PlannedPod> refuse;
};

// kubectl's filters, in its order: DaemonSet pods (skipped with ignoreDaemonSets, else refused),
// mirror pods (skipped), local emptyDir storage of unfinished pods (needs deleteEmptyDirData),
// unfinished pods without a controller (need force).
DrainPlan PlanDrain(const std::vector<PodSummary>& pods, const DrainFlags& flags);

// The message of a refused drain, naming each pod and what would allow it.
std::string RefusalMessage(const std::string& node, const DrainPlan& plan);

struct DrainOptions {
  DrainFlags flags;
  std::optional<int> grace_period_seconds;
  std::chrono::steady_clock::time_point deadline;
  // Polled between steps; true ends the drain early (the caller went away).
  std::function<bool()> cancelled;
  // Told the node as the cordon wrote it, so that a read right after the drain shows it cordoned.
  std::function<void(const nlohmann::json&)> cordoned;
  std::chrono::milliseconds min_backoff{500};
  std::chrono::milliseconds max_backoff{5000};
};

class Drainer {
 public:
  explicit Drainer(kube::Client& client) : client_(client) {}

  // NOT_FOUND for an unknown node, FAILED_PRECONDITION for a refused plan (nothing changed);
  // otherwise OK with the report, complete or ended by the deadline.
  grpc::Status Drain(const std::string& node, const DrainOptions& options, pb::DrainReport* report);

 private:
  kube::Client& client_;
};

}  // namespace ss::nodes
