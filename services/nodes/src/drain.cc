#include "drain.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "kube/grpc_status.h"

namespace ss::nodes {
namespace {

using Clock = std::chrono::steady_clock;

void AddPod(const PodSummary& pod, const std::string& reason,
            google::protobuf::RepeatedPtrField<pb::DrainPod>* out) {
  pb::DrainPod* entry = out->Add();
  entry->set_namespace_(pod.ns);
  entry->set_name(pod.name);
  entry->set_owner_kind(pod.owner_kind);
  entry->set_reason(reason);
}

std::string EvictionRefusal(const kube::Error& error) {
  if (error.IsDisruptionBudget()) {
    for (const kube::StatusCause& cause : error.causes) {
      if (cause.reason == "DisruptionBudget" && !cause.message.empty())
        return "disruption budget: " + cause.message;
    }
    return "disruption budget: " + error.message;
  }
  return "eviction failed: " + error.ToString();
}

// A pod in flight: asked to leave, then gone.
struct Pending {
  PlannedPod planned;
  bool evicted = false;  // the Eviction was accepted; waiting for the pod to go
  bool gone = false;
  std::string reason;  // why it is still here

  // Records why the pod is still here; a new reason other than a disruption budget (which a
  // drain expects) is logged once, so that a refusal (403: the service's role) shows.
  void Hold(const std::string& node, std::string why) {
    if (why != reason && !why.starts_with("disruption budget")) {
      spdlog::warn("drain of {}: pod {}/{}: {}", node, planned.pod.ns, planned.pod.name, why);
    }
    reason = std::move(why);
  }
};

}  // namespace

DrainPlan PlanDrain(const std::vector<PodSummary>& pods, const DrainFlags& flags) {
  DrainPlan plan;
  for (const PodSummary& pod : pods) {
    if (pod.owner_kind == "DaemonSet") {
      if (flags.ignore_daemon_sets)
        plan.skip.push_back({pod, "DaemonSet-managed pod (ignoreDaemonSets)"});
      else
        plan.refuse.push_back({pod, "DaemonSet-managed pod (ignoreDaemonSets is false)"});
      continue;
    }
    if (pod.mirror) {
      plan.skip.push_back({pod, "mirror pod of a static pod"});
      continue;
    }
    std::string reason = "evicted";
    if (!pod.finished() && pod.empty_dir) {
      if (!flags.delete_empty_dir_data) {
        plan.refuse.push_back({pod, "local emptyDir storage (use deleteEmptyDirData)"});
        continue;
      }
      reason += "; emptyDir data deleted";
    }
    if (!pod.finished() && pod.owner_kind.empty()) {
      if (!flags.force) {
        plan.refuse.push_back({pod, "not managed by a controller (use force)"});
        continue;
      }
      reason += "; unmanaged pod, not re-created (force)";
    }
    plan.evict.push_back({pod, reason});
  }
  return plan;
}

std::string RefusalMessage(const std::string& node, const DrainPlan& plan) {
  std::string message = "cannot drain node " + node + ":";
  for (const PlannedPod& refused : plan.refuse)
    message += " " + refused.pod.key() + " (" + refused.reason + ");";
  message.pop_back();
  return message;
}

grpc::Status Drainer::Drain(const std::string& node, const DrainOptions& options,
                            pb::DrainReport* report) {
  const auto started = Clock::now();
  report->set_node(node);
  if (auto found = client_.Get(kube::resources::kNodes, "", node); !found)
    return kube::ToGrpcStatus(found.error(), "node " + node);
  kube::ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + node;
  auto listed = client_.List(kube::resources::kPods, "", on_node);
  if (!listed)
    return kube::ToGrpcStatus(listed.error(), "pods of node " + node);
  std::vector<PodSummary> pods;
  for (const auto& object : listed->items)
    pods.push_back(SummarizePod(object));
  const DrainPlan plan = PlanDrain(pods, options.flags);
  if (!plan.refuse.empty())
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, RefusalMessage(node, plan));

  auto cordoned = client_.Patch(kube::resources::kNodes, "", node, kube::PatchType::kMerge,
                                {{"spec", {{"unschedulable", true}}}});
  if (!cordoned)
    return kube::ToGrpcStatus(cordoned.error(), "node " + node);
  if (options.cordoned)
    options.cordoned(*cordoned);
  spdlog::info("audit: node {} cordoned for a drain of {} pods", node, plan.evict.size());
  for (const PlannedPod& skipped : plan.skip)
    AddPod(skipped.pod, skipped.reason, report->mutable_skipped());

  std::vector<Pending> pending;
  for (const PlannedPod& planned : plan.evict)
    pending.push_back({planned, false, false, "not evicted yet"});
  auto backoff = options.min_backoff;
  while (!pending.empty() && Clock::now() < options.deadline &&
         !(options.cancelled && options.cancelled())) {
    bool refused = false;
    for (Pending& entry : pending) {
      const PodSummary& pod = entry.planned.pod;
      if (!entry.evicted) {
        auto evicted = client_.Evict(pod.ns, pod.name, options.grace_period_seconds);
        if (evicted || evicted.error().IsNotFound()) {
          entry.evicted = true;
          entry.reason = "evicted, still terminating";
        } else {
          entry.Hold(node, EvictionRefusal(evicted.error()));
          refused = true;
          continue;
        }
      }
      auto current = client_.Get(kube::resources::kPods, pod.ns, pod.name);
      if (!current && !current.error().IsNotFound())
        entry.Hold(node, "evicted, cannot be read: " + current.error().ToString());
      entry.gone = (!current && current.error().IsNotFound()) ||
                   (current && (*current)["metadata"].value("uid", "") != pod.uid);
      if (entry.gone)
        AddPod(pod, entry.planned.reason, report->mutable_evicted());
    }
    pending.erase(
        std::remove_if(pending.begin(), pending.end(), [](const Pending& p) { return p.gone; }),
        pending.end());
    if (pending.empty())
      break;
    const auto pause = std::min<Clock::duration>(
        refused ? backoff : std::chrono::milliseconds(200),
        std::max<Clock::duration>(options.deadline - Clock::now(), Clock::duration::zero()));
    std::this_thread::sleep_for(pause);
    if (refused)
      backoff = std::min(backoff * 2, options.max_backoff);
  }
  for (const Pending& entry : pending)
    AddPod(entry.planned.pod, entry.reason, report->mutable_blocked());
  report->set_completed(pending.empty());
  report->set_timed_out(!pending.empty() && Clock::now() >= options.deadline);
  report->set_elapsed_seconds(static_cast<int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()));
  spdlog::info("audit: node {} drained: {} evicted, {} skipped, {} blocked{}", node,
               report->evicted_size(), report->skipped_size(), report->blocked_size(),
               report->timed_out() ? " (timeout)" : "");
  return grpc::Status::OK;
}

}  // namespace ss::nodes
