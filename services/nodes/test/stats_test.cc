#include "stats.h"

#include <catch2/catch.hpp>

#include "cluster_cache.h"
#include "core/rfc3339.h"
#include "queries.h"
#include "validation.h"

namespace ss::nodes {
namespace {

constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";

std::shared_ptr<const pb::Node> MakeNode(const std::string& name, bool ready, bool schedulable,
                                         const std::string& cpu, const std::string& memory,
                                         int gpus, int pods, int64_t used_cpu,
                                         const std::string& zone = "") {
  pb::Node node;
  node.set_name(name);
  node.set_status(ready ? "Ready" : "NotReady");
  node.set_schedulable(schedulable);
  (*node.mutable_capacity())["cpu"] = cpu;
  (*node.mutable_allocatable())["cpu"] = cpu;
  (*node.mutable_capacity())["memory"] = memory;
  (*node.mutable_allocatable())["memory"] = memory;
  (*node.mutable_capacity())["pods"] = "110";
  (*node.mutable_allocatable())["pods"] = "110";
  node.mutable_gpu()->set_count(gpus);
  node.mutable_gpu()->set_allocatable(gpus);
  node.mutable_gpu()->set_requested(gpus / 2);
  node.set_pods(pods);
  node.set_cpu_requested_millicores(pods * 100);
  if (used_cpu > 0)
    node.mutable_usage()->set_cpu_millicores(used_cpu);
  if (!zone.empty())
    node.mutable_labels()->insert({std::string(kZoneLabel), zone});
  return std::make_shared<const pb::Node>(std::move(node));
}

Snapshot ThreeNodes() {
  Snapshot snapshot;
  snapshot.nodes = {MakeNode("gpu-node-1", true, true, "48", "192Gi", 4, 2, 4800, "us-east-1a"),
                    MakeNode("node-a", true, false, "8", "32Gi", 0, 4, 800, "us-east-1a"),
                    MakeNode("node-b", false, true, "8", "32Gi", 0, 0, 0, "us-east-1b")};
  for (size_t i = 0; i < snapshot.nodes.size(); ++i)
    snapshot.index[snapshot.nodes[i]->name()] = i;
  snapshot.stats = ComputeStats(snapshot.nodes);
  return snapshot;
}

}  // namespace

TEST_CASE("stats sum and divide over every node", "[stats]") {
  const pb::NodeStats stats = ThreeNodes().stats;
  CHECK(stats.total_nodes() == 3);
  CHECK(stats.ready_nodes() == 2);
  CHECK(stats.not_ready_nodes() == 1);
  CHECK(stats.schedulable() == 2);
  CHECK(stats.cordoned() == 1);
  CHECK(stats.gpu_nodes() == 1);
  CHECK(stats.cpu().allocatable() == 64000);
  CHECK(stats.cpu().requested() == 600);
  CHECK(stats.cpu().used() == 5600);
  CHECK(stats.cpu().used_percent() == Approx(8.75));
  CHECK(stats.cpu().requested_percent() == Approx(0.94));
  CHECK(stats.memory().allocatable() == 256LL << 30);
  CHECK(stats.pods().allocatable() == 330);
  CHECK(stats.pods().used() == 6);
  CHECK(stats.pods().used_percent() == Approx(1.82));
  CHECK(stats.gpus().capacity() == 4);
  CHECK(stats.gpus().requested() == 2);
  CHECK(stats.gpus().requested_percent() == Approx(50.0));
  // What the Nodes page shows.
  CHECK(stats.total_capacity().cpu() == "64");
  CHECK(stats.total_capacity().memory() == "256Gi");
  CHECK(stats.total_capacity().pods() == 330);
  CHECK(stats.total_allocatable().cpu() == "64");
  // Usage over the two sampled nodes only: 5.6 of their 56 cores.
  REQUIRE(stats.has_total_usage());
  CHECK(stats.total_usage().cpu() == "5.6");
  CHECK(stats.total_usage().cpu_percent() == Approx(10.0));
}

TEST_CASE("stats of no nodes are zeros, not NaN", "[stats]") {
  const pb::NodeStats stats = ComputeStats({});
  CHECK(stats.total_nodes() == 0);
  CHECK(stats.cpu().used_percent() == 0.0);
  CHECK(stats.total_capacity().cpu() == "0");
  CHECK_FALSE(stats.has_total_usage());
}

TEST_CASE("pages of nodes by name, with selector and total", "[stats]") {
  const Snapshot snapshot = ThreeNodes();
  pb::ListNodesRequest request;
  request.set_page_size(2);
  pb::ListNodesResponse first;
  REQUIRE(ListNodesPage(snapshot, request, &first).ok());
  CHECK(first.total() == 3);
  REQUIRE(first.nodes_size() == 2);
  CHECK(first.nodes(0).name() == "gpu-node-1");
  CHECK(first.nodes(1).name() == "node-a");
  REQUIRE_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  pb::ListNodesResponse second;
  REQUIRE(ListNodesPage(snapshot, request, &second).ok());
  REQUIRE(second.nodes_size() == 1);
  CHECK(second.nodes(0).name() == "node-b");
  CHECK(second.next_page_token().empty());

  pb::ListNodesRequest zone;
  zone.set_label_selector("topology.kubernetes.io/zone=us-east-1a");
  zone.set_page_size(1);
  pb::ListNodesResponse in_zone;
  REQUIRE(ListNodesPage(snapshot, zone, &in_zone).ok());
  CHECK(in_zone.total() == 2);
  REQUIRE(in_zone.nodes_size() == 1);
  CHECK(in_zone.nodes(0).name() == "gpu-node-1");
  zone.set_page_token(in_zone.next_page_token());
  pb::ListNodesResponse rest;
  REQUIRE(ListNodesPage(snapshot, zone, &rest).ok());
  REQUIRE(rest.nodes_size() == 1);
  CHECK(rest.nodes(0).name() == "node-a");
  CHECK(rest.next_page_token().empty());

  pb::ListNodesRequest bad;
  bad.set_label_selector("a in (b");
  pb::ListNodesResponse ignored;
  CHECK(ListNodesPage(snapshot, bad, &ignored).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("the dashboard's cluster block counts nodes, sessions by state, pods and users",
          "[stats]") {
  Snapshot snapshot = ThreeNodes();
  snapshot.sessions_by_state = {{"running", 2}, {"hibernated", 1}, {"terminated", 4}};
  pb::UserCounts users;
  users.set_total(5);
  users.set_active(4);
  const pb::ClusterOverview overview = BuildClusterOverview(snapshot, users);
  CHECK(overview.nodes().total() == 3);
  CHECK(overview.nodes().ready() == 2);
  CHECK(overview.nodes().not_ready() == 1);
  CHECK(overview.sessions().total() == 7);
  CHECK(overview.sessions().running() == 2);
  CHECK(overview.sessions().hibernated() == 1);
  CHECK(overview.sessions().terminated() == 4);
  CHECK(overview.resources().cpu().total() == "64");
  CHECK(overview.resources().cpu().used() == "5.6");
  CHECK(overview.resources().cpu().percent() == Approx(8.75));
  CHECK(overview.resources().memory().total() == 256LL << 30);
  CHECK(overview.resources().pods().total() == 330);
  CHECK(overview.resources().pods().used() == 6);
  CHECK(overview.resources().pods().percent() == Approx(1.82));
  CHECK(overview.users().total() == 5);
  CHECK(overview.users().active() == 4);
}

TEST_CASE("quantities and ages print as the Nodes page shows them", "[stats]") {
  CHECK(CoresText(7500) == "7.5");
  CHECK(CoresText(250) == "0.25");
  CHECK(CoresText(8000) == "8");
  CHECK(CoresText(1) == "0.001");
  CHECK(BytesText(32LL << 30) == "32Gi");
  CHECK(BytesText(1536LL << 20) == "1536Mi");
  CHECK(BytesText(1000) == "1000");
  CHECK(BytesText(0) == "0");
  const auto now = *core::ParseRfc3339("2026-11-27T12:00:00Z");
  CHECK(AgeText("2026-11-27T11:59:15Z", now) == "45s");
  CHECK(AgeText("2026-11-27T11:48:00Z", now) == "12m");
  CHECK(AgeText("2026-11-27T07:00:00Z", now) == "5h");
  CHECK(AgeText("2026-11-24T12:00:00Z", now) == "3d");
  CHECK(AgeText("yesterday", now).empty());
}

}  // namespace ss::nodes
