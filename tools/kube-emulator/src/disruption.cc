#include "disruption.h"

#include <cmath>

#include "selectors.h"

namespace kubeemu {
namespace {

int Resolve(const Json& value, int total, bool round_up) {
  if (value.is_number_integer()) {
    return value.get<int>();
  }
  const std::string text = value.is_string() ? value.get<std::string>() : "0";
  if (!text.empty() && text.back() == '%') {
    const double fraction = std::atof(text.c_str()) / 100.0 * total;
    return static_cast<int>(round_up ? std::ceil(fraction) : std::floor(fraction));
  }
  return std::atoi(text.c_str());
}

std::vector<const Json*> SelectedPods(Cluster& cluster, const Json& budget) {
  std::vector<const Json*> out;
  const Json* selector = FindPath(budget, "spec.selector");
  if (selector == nullptr) {
    return out;
  }
  const LabelSelector labels = LabelSelector::FromObject(*selector);
  for (const Json* pod : cluster.store().List("/pods", budget["metadata"].value("namespace", ""))) {
    if (!(*pod)["metadata"].contains("deletionTimestamp") &&
        labels.Matches((*pod)["metadata"].value("labels", Json::object()))) {
      out.push_back(pod);
    }
  }
  return out;
}

// The number of pods the budget expects: the replicas of the pods' controllers, as the
// disruption controller counts them, or the pods themselves when one has no scalable controller.
int ExpectedPods(Cluster& cluster, const std::vector<const Json*>& pods) {
  std::map<std::string, int> controllers;
  for (const Json* pod : pods) {
    const Json* owner = nullptr;
    for (const auto& ref : (*pod)["metadata"].value("ownerReferences", Json::array())) {
      if (ref.value("controller", false) && ref.value("kind", "") == "ReplicaSet") {
        owner = cluster.store().Get("apps/replicasets", (*pod)["metadata"].value("namespace", ""),
                                    ref.value("name", ""));
      }
    }
    if (owner == nullptr) {
      return static_cast<int>(pods.size());
    }
    controllers[(*owner)["metadata"].value("uid", "")] = (*owner)["spec"].value("replicas", 1);
  }
  int expected = 0;
  for (const auto& [uid, replicas] : controllers) {
    expected += replicas;
  }
  return expected;
}

}  // namespace

bool PodReady(const Json& pod) {
  if (PathString(pod, "status.phase") != "Running") {
    return false;
  }
  for (const auto& c : pod["status"].value("conditions", Json::array())) {
    if (c.value("type", "") == "Ready") {
      return c.value("status", "") == "True";
    }
  }
  return false;
}

Json ComputeBudgetStatus(Cluster& cluster, const Json& budget) {
  const auto pods = SelectedPods(cluster, budget);
  const int expected = ExpectedPods(cluster, pods);
  int healthy = 0;
  for (const Json* pod : pods) {
    healthy += PodReady(*pod) ? 1 : 0;
  }
  const Json& spec = budget["spec"];
  int desired = 0;
  if (spec.contains("minAvailable")) {
    desired = Resolve(spec["minAvailable"], expected, true);
  } else if (spec.contains("maxUnavailable")) {
    desired = std::max(0, expected - Resolve(spec["maxUnavailable"], expected, true));
  }
  const int allowed = std::max(0, healthy - desired);
  Json status = budget.value("status", Json::object());
  const Json old_conditions = status.value("conditions", Json::array());
  const std::string condition_status = allowed > 0 ? "True" : "False";
  std::string transition = NowRfc3339();
  for (const auto& c : old_conditions) {
    if (c.value("type", "") == "DisruptionAllowed" && c.value("status", "") == condition_status) {
      transition = c.value("lastTransitionTime", transition);
    }
  }
  status["observedGeneration"] = budget["metadata"].value("generation", 1);
  status["disruptionsAllowed"] = allowed;
  status["currentHealthy"] = healthy;
  status["desiredHealthy"] = desired;
  status["expectedPods"] = expected;
  status["conditions"] =
      Json::array({{{"type", "DisruptionAllowed"},
                    {"status", condition_status},
                    {"reason", allowed > 0 ? "SufficientPods" : "InsufficientPods"},
                    {"message", ""},
                    {"observedGeneration", status["observedGeneration"]},
                    {"lastTransitionTime", transition}}});
  return status;
}

void UpdateBudgets(Cluster& cluster) {
  std::vector<Json> updates;
  for (const Json* budget : cluster.store().List("policy/poddisruptionbudgets", "")) {
    Json status = ComputeBudgetStatus(cluster, *budget);
    if (status != budget->value("status", Json::object())) {
      Json updated = *budget;
      updated["status"] = std::move(status);
      updates.push_back(std::move(updated));
    }
  }
  for (auto& u : updates) {
    cluster.Put("policy/poddisruptionbudgets", std::move(u));
  }
}

std::vector<Json> BudgetsFor(Cluster& cluster, const Json& pod) {
  std::vector<Json> out;
  const Json labels = pod["metadata"].value("labels", Json::object());
  for (const Json* budget : cluster.store().List("policy/poddisruptionbudgets",
                                                 pod["metadata"].value("namespace", ""))) {
    const Json* selector = FindPath(*budget, "spec.selector");
    if (selector != nullptr && LabelSelector::FromObject(*selector).Matches(labels)) {
      out.push_back(*budget);
    }
  }
  return out;
}

}  // namespace kubeemu
