// Issue 3: a drain done through our client's evictions and `kubectl drain` with the same flags,
// on two identical emulated clusters, leave the same set of pods.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include "emulator.h"
#include "kube/client.h"
#include "wait.h"

namespace ss::kube::testing {
namespace {

using PodPlacement = std::map<std::string, std::string>;

constexpr char kNode[] = "node-a";

// namespace/name → node of every pod; empty when a pod is not Running yet (the cluster is still
// settling).
PodPlacement SettledPods(Client& client) {
  auto pods = client.List(resources::kPods, "");
  if (!pods)
    return {};
  PodPlacement placement;
  for (const auto& pod : pods->items) {
    if (pod["status"].value("phase", "") != "Running")
      return {};
    placement[pod["metadata"]["namespace"].get<std::string>() + "/" +
              pod["metadata"]["name"].get<std::string>()] = pod["spec"].value("nodeName", "");
  }
  return placement;
}

bool OwnedByDaemonSet(const nlohmann::json& pod) {
  for (const auto& owner : pod["metadata"].value("ownerReferences", nlohmann::json::array())) {
    if (owner.value("kind", "") == "DaemonSet")
      return true;
  }
  return false;
}

// What `kubectl drain --ignore-daemonsets --delete-emptydir-data` does, through our client:
// cordon, evict every pod of the node but DaemonSet pods (retrying while a disruption budget
// forbids it), then wait until they are gone.
void DrainWithClient(Client& client, const std::string& node) {
  REQUIRE(client
              .Patch(resources::kNodes, "", node, PatchType::kMerge,
                     {{"spec", {{"unschedulable", true}}}})
              .ok());
  ListOptions on_node;
  on_node.field_selector = "spec.nodeName=" + node;
  auto pods = client.List(resources::kPods, "", on_node);
  REQUIRE(pods.ok());
  std::vector<std::pair<std::string, std::string>> evicted;
  for (const auto& pod : pods->items) {
    if (OwnedByDaemonSet(pod))
      continue;
    const std::string ns = pod["metadata"]["namespace"];
    const std::string name = pod["metadata"]["name"];
    const bool done = WaitFor(
        [&] {
          auto result = client.Evict(ns, name);
          return result.ok() || result.error().IsNotFound();
        },
        std::chrono::seconds(30));
    REQUIRE(done);
    evicted.emplace_back(ns, name);
  }
  for (const auto& [ns, name] : evicted) {
    CHECK(WaitFor([&] { return client.Get(resources::kPods, ns, name).error().IsNotFound(); }));
  }
}

}  // namespace

TEST_CASE("our client's drain and kubectl drain leave the same pods", "[drain]") {
  Emulator by_kubectl;
  Emulator by_client;
  auto kubectl_cluster = by_kubectl.NewClient();
  auto client_cluster = by_client.NewClient();

  PodPlacement before;
  REQUIRE(WaitFor([&] {
    before = SettledPods(*kubectl_cluster);
    return !before.empty() && SettledPods(*client_cluster) == before;
  }));
  bool node_has_evictable = false;
  for (const auto& [pod, node] : before)
    node_has_evictable =
        node_has_evictable || (node == kNode && pod.rfind("kube-system/kube-proxy", 0) != 0);
  REQUIRE(node_has_evictable);

  const std::string command = "kubectl --kubeconfig '" + by_kubectl.kubeconfig().string() +
                              "' drain " + kNode +
                              " --ignore-daemonsets --delete-emptydir-data --timeout=60s > '" +
                              (by_kubectl.dir() / "drain.log").string() + "' 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  DrainWithClient(*client_cluster, kNode);

  PodPlacement after_kubectl;
  PodPlacement after_client;
  const bool same = WaitFor(
      [&] {
        after_kubectl = SettledPods(*kubectl_cluster);
        after_client = SettledPods(*client_cluster);
        return !after_kubectl.empty() && after_kubectl == after_client;
      },
      std::chrono::seconds(20));
  INFO("kubectl drain left " << after_kubectl.size() << " pods, our drain " << after_client.size());
  CHECK(same);
  CHECK(after_kubectl != before);
  for (const auto& [pod, node] : after_client) {
    INFO(pod);
    CHECK((node != kNode || pod.rfind("kube-system/kube-proxy", 0) == 0));
  }
  auto node = client_cluster->Get(resources::kNodes, "", kNode);
  REQUIRE(node.ok());
  CHECK((*node)["spec"].value("unschedulable", false));
}

}  // namespace ss::kube::testing
