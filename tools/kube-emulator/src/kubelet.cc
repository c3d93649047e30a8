#include <ctime>
#include <string_view>
#include <unordered_set>

#include "controllers.h"

namespace kubeemu {
namespace {

Json ReadyCondition(const std::string& type, const std::string& status) {
  return {{"type", type},
          {"status", status},
          {"lastTransitionTime", NowRfc3339()},
          {"lastProbeTime", nullptr}};
}

std::string NodeIp(Cluster& cluster, const std::string& node) {
  const Json* n = cluster.store().Get("/nodes", "", node);
  if (n != nullptr) {
    for (const auto& a : (*n)["status"].value("addresses", Json::array())) {
      if (a.value("type", "") == "InternalIP") {
        return a.value("address", "");
      }
    }
  }
  return "10.0.0.1";
}

std::string BadImage(const Json& pod) {
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const std::string image = c.value("image", "");
    if (image.find(kInvalidImageMarker) != std::string::npos) {
      return image;
    }
  }
  return "";
}

}  // namespace

void Kubelet::Sync() {
  // Runs every tick under the cluster lock: it copies only the pods it is about to start, so
  // that a cluster of tens of thousands of running pods costs a pass over pointers.
  const auto now = Clock::now();
  if (cluster_.store().Version() == synced_version_ && now < next_due_) {
    return;
  }
  Clock::time_point next_due = Clock::time_point::max();
  const std::vector<const Json*> all = cluster_.store().List("/pods", "");
  std::unordered_set<std::string_view> live;
  live.reserve(all.size());
  for (const Json* pod : all) {
    live.insert((*pod)["metadata"]["uid"].get_ref<const std::string&>());
  }
  const auto gone = [&](const auto& e) { return !live.contains(e.first); };
  std::erase_if(first_seen_, gone);
  std::erase_if(last_log_, gone);
  std::erase_if(log_count_, gone);
  std::vector<Json> to_start;
  for (const Json* pod : all) {
    if (PathString(*pod, "spec.nodeName").empty() ||
        (*pod)["metadata"].contains("deletionTimestamp")) {
      continue;
    }
    const std::string& uid = (*pod)["metadata"]["uid"].get_ref<const std::string&>();
    const auto seen = first_seen_.emplace(uid, now).first->second;
    const std::string phase = PathString(*pod, "status.phase");
    if (phase == "Running") {
      next_due = std::min(next_due, WriteLogs(*pod));
    } else if (phase == "Pending") {
      if (now - seen >= cluster_.options().pod_start_delay) {
        to_start.push_back(*pod);
      }
      next_due = std::min(next_due, std::max(now, seen + cluster_.options().pod_start_delay));
    }
  }
  for (const Json& pod : to_start) {
    const std::string bad = BadImage(pod);
    if (bad.empty()) {
      Start(pod);
    } else {
      FailImagePull(pod, bad);
    }
  }
  // Started pods changed the store; they are seen again on the next tick.
  synced_version_ = to_start.empty() ? cluster_.store().Version() : 0;
  next_due_ = next_due;
}

void Kubelet::Start(const Json& pod) {
  Json updated = pod;
  const std::string node = pod["spec"]["nodeName"];
  const std::string now = NowRfc3339();
  Json statuses = Json::array();
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const std::string name = c.value("name", "");
    const std::string image = c.value("image", "");
    statuses.push_back({{"name", name},
                        {"image", image},
                        {"imageID", "docker.io/library/" + image + "@sha256:" + ShortHash(image)},
                        {"containerID", "containerd://" + ShortHash(NowRfc3339Nano() + name)},
                        {"ready", true},
                        {"started", true},
                        {"restartCount", 0},
                        {"state", {{"running", {{"startedAt", now}}}}}});
    const std::string field = "spec.containers{" + name + "}";
    cluster_.RecordEvent(pod, "Normal", "Pulled",
                         "Container image \"" + image + "\" already present on machine", "kubelet");
    cluster_.RecordEvent(pod, "Normal", "Created", "Created container " + name, "kubelet");
    cluster_.RecordEvent(pod, "Normal", "Started", "Started container " + name, "kubelet");
  }
  const std::string uid = pod["metadata"]["uid"];
  const std::string hash = ShortHash(uid);
  Json& status = updated["status"];
  status["phase"] = "Running";
  status["hostIP"] = NodeIp(cluster_, node);
  status["hostIPs"] = Json::array({{{"ip", status["hostIP"]}}});
  status["podIP"] =
      "10.244." + std::to_string(hash[0] % 200) + "." + std::to_string(hash[1] % 250 + 2);
  status["podIPs"] = Json::array({{{"ip", status["podIP"]}}});
  status["startTime"] = now;
  status["containerStatuses"] = std::move(statuses);
  status["conditions"] = Json::array(
      {ReadyCondition("PodReadyToStartContainers", "True"), ReadyCondition("Initialized", "True"),
       ReadyCondition("Ready", "True"), ReadyCondition("ContainersReady", "True"),
       ReadyCondition("PodScheduled", "True")});
  cluster_.Put("/pods", std::move(updated));
}

void Kubelet::FailImagePull(const Json& pod, const std::string& image) {
  const Json* waiting = FindPath(pod, "status.containerStatuses");
  const bool backing_off =
      waiting != nullptr && waiting->dump().find("ImagePullBackOff") != std::string::npos;
  if (backing_off) {
    return;
  }
  const bool first = waiting == nullptr;
  const std::string reason = first ? "ErrImagePull" : "ImagePullBackOff";
  Json statuses = Json::array();
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const std::string c_image = c.value("image", "");
    const bool bad = c_image.find(kInvalidImageMarker) != std::string::npos;
    Json state = bad ? Json{{"waiting",
                             {{"reason", reason},
                              {"message", first ? "failed to pull and unpack image \"" + c_image +
                                                      "\": not found"
                                                : "Back-off pulling image \"" + c_image + "\""}}}}
                     : Json{{"waiting", {{"reason", "ContainerCreating"}}}};
    statuses.push_back({{"name", c.value("name", "")},
                        {"image", c_image},
                        {"imageID", ""},
                        {"ready", false},
                        {"started", false},
                        {"restartCount", 0},
                        {"state", std::move(state)}});
  }
  if (first) {
    cluster_.RecordEvent(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"", "kubelet");
    cluster_.RecordEvent(pod, "Warning", "Failed",
                         "Failed to pull image \"" + image +
                             "\": rpc error: code = NotFound desc = failed to pull and unpack "
                             "image \"" +
                             image + "\": not found",
                         "kubelet");
    cluster_.RecordEvent(pod, "Warning", "Failed", "Error: ErrImagePull", "kubelet");
  } else {
    cluster_.RecordEvent(pod, "Normal", "BackOff", "Back-off pulling image \"" + image + "\"",
                         "kubelet");
    cluster_.RecordEvent(pod, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet");
  }
  Json updated = pod;
  updated["status"]["containerStatuses"] = std::move(statuses);
  updated["status"]["hostIP"] = NodeIp(cluster_, pod["spec"]["nodeName"]);
  cluster_.Put("/pods", std::move(updated));
}

Kubelet::Clock::time_point Kubelet::WriteLogs(const Json& pod) {
  const auto now = Clock::now();
  const auto interval = cluster_.options().log_interval;
  const std::string& uid = pod["metadata"]["uid"].get_ref<const std::string&>();
  auto [it, fresh] = last_log_.emplace(uid, now);
  if (!fresh && now - it->second < interval) {
    return it->second + interval;
  }
  it->second = now;
  const std::uint64_t n = ++log_count_[uid];
  const std::string ns = pod["metadata"]["namespace"];
  const std::string name = pod["metadata"]["name"];
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const std::string container = c.value("name", "");
    auto& lines = cluster_.Logs(ns, name, container);
    const std::string text = n == 1
                                 ? "starting " + container + " (image " + c.value("image", "") + ")"
                                 : container + " heartbeat " + std::to_string(n - 1);
    lines.push_back({NowRfc3339Nano(), std::time(nullptr), n, text});
    while (lines.size() > cluster_.options().log_lines_kept) {
      lines.pop_front();
    }
  }
  cluster_.changed.notify_all();
  return now + interval;
}

}  // namespace kubeemu
