#include "api.h"
#include "quantity.h"
#include "selectors.h"

namespace kubeemu {
namespace {

// Simulated usage: a container uses half of what it requests, 10m CPU and 16Mi at least.
std::pair<long long, long long> ContainerUsage(const Json& container) {
  const Json requests =
      container.value("resources", Json::object()).value("requests", Json::object());
  const long long cpu = ParseMilli(requests.value("cpu", "0")) / 2;
  const long long memory = ParseMilli(requests.value("memory", "0")) / 1000 / 2;
  return {std::max(cpu, 10LL), std::max(memory, 16LL << 20)};
}

bool Running(const Json& pod) {
  return PathString(pod, "status.phase") == "Running";
}

Json PodMetrics(const Json& pod, const std::string& now) {
  Json containers = Json::array();
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const auto [cpu, memory] = ContainerUsage(c);
    containers.push_back({{"name", c.value("name", "")},
                          {"usage", {{"cpu", FormatCpu(cpu)}, {"memory", FormatMemory(memory)}}}});
  }
  const Json& meta = pod["metadata"];
  return {{"kind", "PodMetrics"},
          {"apiVersion", "metrics.k8s.io/v1beta1"},
          {"metadata",
           {{"name", meta["name"]},
            {"namespace", meta["namespace"]},
            {"labels", meta.value("labels", Json::object())},
            {"creationTimestamp", now}}},
          {"timestamp", now},
          {"window", "10.0s"},
          {"containers", std::move(containers)}};
}

using Usage = std::pair<long long, long long>;

// What the running pods use, summed per node in one pass over the pods.
std::map<std::string, Usage> UsageByNode(Cluster& cluster) {
  std::map<std::string, Usage> usage;
  for (const Json* pod : cluster.store().List("/pods", "")) {
    if (!Running(*pod)) {
      continue;
    }
    Usage& node = usage[PathString(*pod, "spec.nodeName")];
    for (const auto& c : (*pod)["spec"].value("containers", Json::array())) {
      const auto [cpu, memory] = ContainerUsage(c);
      node.first += cpu;
      node.second += memory;
    }
  }
  return usage;
}

Json NodeMetrics(const Json& node, const Usage& pods, const std::string& now) {
  // The system itself uses 100m and 512Mi on every node.
  const long long cpu = 100 + pods.first;
  const long long memory = (512LL << 20) + pods.second;
  const std::string name = node["metadata"]["name"];
  return {{"kind", "NodeMetrics"},
          {"apiVersion", "metrics.k8s.io/v1beta1"},
          {"metadata",
           {{"name", name},
            {"labels", node["metadata"].value("labels", Json::object())},
            {"creationTimestamp", now}}},
          {"timestamp", now},
          {"window", "10.0s"},
          {"usage", {{"cpu", FormatCpu(cpu)}, {"memory", FormatMemory(memory)}}}};
}

}  // namespace

HttpResponse Metrics(Cluster& cluster, const ResourceRequest& req) {
  const auto labels = LabelSelector::Parse(req.http.Param("labelSelector"));
  if (!labels) {
    return ErrorResponse(BadRequest("unable to parse requirement: invalid selector"));
  }
  const bool nodes = req.type.plural == "nodes";
  const std::string now = NowRfc3339();
  std::lock_guard lock(cluster.mutex);
  const std::map<std::string, Usage> usage =
      nodes ? UsageByNode(cluster) : std::map<std::string, Usage>();
  Json items = Json::array();
  for (const Json* object : cluster.store().List(nodes ? "/nodes" : "/pods", req.ns)) {
    const Json& meta = (*object)["metadata"];
    if ((!req.name.empty() && meta["name"] != req.name) ||
        !labels->Matches(meta.value("labels", Json::object())) || (!nodes && !Running(*object))) {
      continue;
    }
    if (nodes) {
      const auto found = usage.find(meta["name"].get<std::string>());
      items.push_back(NodeMetrics(*object, found == usage.end() ? Usage{} : found->second, now));
    } else {
      items.push_back(PodMetrics(*object, now));
    }
  }
  if (!req.name.empty()) {
    return items.empty() ? ErrorResponse(NotFound({"metrics.k8s.io", req.type.plural, req.name}))
                         : JsonResponse(200, items[0]);
  }
  return JsonResponse(200, {{"kind", req.type.kind + "List"},
                            {"apiVersion", "metrics.k8s.io/v1beta1"},
                            {"metadata", Json::object()},
                            {"items", std::move(items)}});
}

}  // namespace kubeemu
