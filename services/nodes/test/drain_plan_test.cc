#include <catch2/catch.hpp>

#include "drain.h"

namespace ss::nodes {
namespace {

PodSummary Pod(const std::string& name, const std::string& owner, bool empty_dir = false,
               const std::string& phase = "Running") {
  PodSummary pod;
  pod.ns = "default";
  pod.name = name;
  pod.node = "node-a";
  pod.owner_kind = owner;
  pod.empty_dir = empty_dir;
  pod.phase = phase;
  return pod;
}

std::vector<std::string> Names(const std::vector<PlannedPod>& pods) {
  std::vector<std::string> names;
  for (const auto& p : pods)
    names.push_back(p.pod.name);
  return names;
}

using Names_t = std::vector<std::string>;

}  // namespace

TEST_CASE("drain planning follows kubectl's filters", "[drain]") {
  PodSummary mirror = Pod("etcd", "Node");
  mirror.mirror = true;
  const std::vector<PodSummary> pods = {
      Pod("web-1", "ReplicaSet"),        Pod("proxy", "DaemonSet"),           Pod("bare", ""),
      Pod("cache", "StatefulSet", true), Pod("done", "", false, "Succeeded"), mirror};

  SECTION("defaults refuse DaemonSet, unmanaged and emptyDir pods") {
    const DrainPlan plan = PlanDrain(pods, {});
    CHECK(Names(plan.refuse) == Names_t{"proxy", "bare", "cache"});
    CHECK(Names(plan.skip) == Names_t{"etcd"});
    CHECK(Names(plan.evict) == Names_t{"web-1", "done"});
    const std::string message = RefusalMessage("node-a", plan);
    CHECK(message.find("default/proxy (DaemonSet-managed pod (ignoreDaemonSets is false))") !=
          std::string::npos);
    CHECK(message.find("default/bare (not managed by a controller (use force))") !=
          std::string::npos);
    CHECK(message.find("use deleteEmptyDirData") != std::string::npos);
  }
  SECTION("every flag: DaemonSet and mirror pods skipped, the rest evicted") {
    const DrainPlan plan = PlanDrain(pods, {true, true, true});
    CHECK(plan.refuse.empty());
    CHECK(Names(plan.skip) == Names_t{"proxy", "etcd"});
    CHECK(Names(plan.evict) == Names_t{"web-1", "bare", "cache", "done"});
    CHECK(plan.evict[1].reason.find("force") != std::string::npos);
    CHECK(plan.evict[2].reason.find("emptyDir") != std::string::npos);
  }
  SECTION("ignoreDaemonSets alone still refuses the unmanaged pod") {
    const DrainPlan plan = PlanDrain(pods, {true, true, false});
    CHECK(Names(plan.refuse) == Names_t{"bare"});
  }
  SECTION("an unmanaged pod with emptyDir needs both flags") {
    const DrainPlan plan = PlanDrain({Pod("scratch", "", true)}, {false, true, false});
    CHECK(Names(plan.refuse) == Names_t{"scratch"});
    CHECK(plan.refuse[0].reason.find("force") != std::string::npos);
  }
}

}  // namespace ss::nodes
