#include "controllers.h"
#include "selectors.h"

namespace kubeemu {
namespace {

bool Tolerates(const Json& pod, const Json& taint) {
  for (const auto& t : pod["spec"].value("tolerations", Json::array())) {
    const bool key_ok = !t.contains("key") || t.value("key", "") == taint.value("key", "");
    const bool value_ok = t.value("operator", "Equal") == "Exists" ||
                          t.value("value", "") == taint.value("value", "");
    const bool effect_ok =
        !t.contains("effect") || t.value("effect", "") == taint.value("effect", "");
    if (key_ok && value_ok && effect_ok) {
      return true;
    }
  }
  return false;
}

bool Fits(const Json& pod, const Json& node) {
  if (node["spec"].value("unschedulable", false)) {
    return false;
  }
  const Json* selector = FindPath(pod, "spec.nodeSelector");
  if (selector != nullptr && !LabelSelector::FromObject({{"matchLabels", *selector}})
                                  .Matches(node["metadata"].value("labels", Json::object()))) {
    return false;
  }
  for (const auto& taint : node["spec"].value("taints", Json::array())) {
    const std::string effect = taint.value("effect", "");
    if ((effect == "NoSchedule" || effect == "NoExecute") && !Tolerates(pod, taint)) {
      return false;
    }
  }
  return true;
}

Json Condition(const std::string& type, const std::string& status, const std::string& reason = "",
               const std::string& message = "") {
  Json c = {{"type", type},
            {"status", status},
            {"lastTransitionTime", NowRfc3339()},
            {"lastProbeTime", nullptr}};
  if (!reason.empty()) {
    c["reason"] = reason;
    c["message"] = message;
  }
  return c;
}

}  // namespace

void SchedulePods(Cluster& cluster) {
  std::map<std::string, int> load;
  std::vector<Json> pending;
  for (const Json* pod : cluster.store().List("/pods", "")) {
    const std::string node = PathString(*pod, "spec.nodeName");
    if (!node.empty()) {
      ++load[node];
    } else if (!(*pod)["metadata"].contains("deletionTimestamp")) {
      pending.push_back(*pod);
    }
  }
  for (auto& pod : pending) {
    std::string best;
    for (const Json* node : cluster.store().List("/nodes", "")) {
      const std::string name = (*node)["metadata"]["name"];
      if (Fits(pod, *node) && (best.empty() || load[name] < load[best])) {
        best = name;
      }
    }
    const std::string ns = pod["metadata"]["namespace"];
    const std::string name = pod["metadata"]["name"];
    if (best.empty()) {
      if (PathString(pod, "status.conditions") == "") {
        pod["status"]["conditions"] = Json::array(
            {Condition("PodScheduled", "False", "Unschedulable",
                       "0/" + std::to_string(cluster.store().List("/nodes", "").size()) +
                           " nodes are available.")});
        cluster.RecordEvent(pod, "Warning", "FailedScheduling",
                            pod["status"]["conditions"][0]["message"], "default-scheduler");
        cluster.Put("/pods", std::move(pod));
      }
      continue;
    }
    ++load[best];
    pod["spec"]["nodeName"] = best;
    pod["status"]["conditions"] = Json::array({Condition("PodScheduled", "True")});
    cluster.RecordEvent(pod, "Normal", "Scheduled",
                        "Successfully assigned " + ns + "/" + name + " to " + best,
                        "default-scheduler");
    cluster.Put("/pods", std::move(pod));
  }
}

}  // namespace kubeemu
