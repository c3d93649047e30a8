// The web UI's contract, nodes (issue 15): the admin Nodes page's calls, the admin dashboard's
// GET /metrics and its metrics_update stream, each as api.ts and useWebSocket.ts at 62da6a7 make
// them, with the fields admin/Nodes.tsx and admin/Dashboard.tsx read; a plain user reaches none.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "ui_contract.h"
#include "ws_reader.h"

namespace ss::test {
namespace {

using nlohmann::json;

json Kubectl(PlatformStack& stack, const std::string& args) {
  const auto [status, output] = stack.Kubectl(args + " -o json");
  INFO(output);
  REQUIRE(status == 0);
  return json::parse(output);
}

json NodeNamed(const json& list, const std::string& name) {
  for (const json& node : list) {
    if (node["name"] == name)
      return node;
  }
  return json();
}

// Pods bound to `node`, as "namespace/name" -> the kind of their controller.
std::map<std::string, std::string> PodsOn(PlatformStack& stack, const std::string& node) {
  std::map<std::string, std::string> pods;
  const json listed = Kubectl(stack, "get pods -A");
  for (const json& pod : listed["items"]) {
    if (pod["spec"].value("nodeName", "") != node)
      continue;
    std::string kind;
    for (const json& owner : pod["metadata"].value("ownerReferences", json::array()))
      kind = owner.value("kind", "");
    pods[pod["metadata"]["namespace"].get<std::string>() + "/" +
         pod["metadata"]["name"].get<std::string>()] = kind;
  }
  return pods;
}

// A node as admin/Nodes.tsx reads it.
void CheckNodeShape(const json& node) {
  INFO(node.dump());
  CHECK(node["name"].is_string());
  CHECK(node["labels"].is_object());
  CHECK(node["taints"].is_array());
  CHECK(node["status"] == "Ready");
  for (const char* resource : {"cpu", "memory", "pods"}) {
    CHECK(node["capacity"][resource].is_string());
    CHECK(node["allocatable"][resource].is_string());
  }
  CHECK(node["info"]["osImage"].is_string());
  CHECK(node["info"]["kernelVersion"].is_string());
  CHECK(node["info"]["kubeletVersion"].is_string());
  CHECK(node["info"]["containerRuntime"].is_string());
  REQUIRE(node["conditions"].is_array());
  for (const json& condition : node["conditions"]) {
    CHECK(condition["type"].is_string());
    CHECK(condition["status"].is_string());
    CHECK(condition["message"].is_string());
  }
  CHECK(node["pods"].is_number_integer());
  CHECK(node["age"].is_string());
  CHECK(node["provider"].is_string());
  CHECK(node["region"].is_string());
  CHECK(node["zone"].is_string());
  // usage is optional; when present the page calls toFixed on its percentages.
  if (node.contains("usage")) {
    CHECK(node["usage"]["cpu"].is_string());
    CHECK(node["usage"]["memory"].is_string());
    CHECK(node["usage"]["cpuPercent"].is_number());
    CHECK(node["usage"]["memoryPercent"].is_number());
  }
}

// The cluster block of GET /metrics and of metrics_update, as admin/Dashboard.tsx reads it.
void CheckClusterShape(const json& cluster) {
  INFO(cluster.dump());
  CHECK(cluster["nodes"]["total"] == 3);
  CHECK(cluster["nodes"]["ready"] == 3);
  CHECK(cluster["nodes"]["notReady"] == 0);
  for (const char* state : {"total", "running", "hibernated", "terminated"})
    CHECK(cluster["sessions"][state].is_number_integer());
  const json& resources = cluster["resources"];
  // Shown as they are ("{used} / {total}").
  CHECK(resources["cpu"]["total"] == "64");
  CHECK(resources["cpu"]["used"].is_string());
  CHECK(resources["cpu"]["percent"].is_number());
  // Byte counts, through parseInt.
  CHECK(std::stoll(resources["memory"]["total"].get<std::string>()) == 256LL << 30);
  CHECK(std::stoll(resources["memory"]["used"].get<std::string>()) >= 0);
  CHECK(resources["memory"]["percent"].is_number());
  CHECK(resources["pods"]["total"] == 330);
  CHECK(resources["pods"]["used"].get<int>() > 0);
  CHECK(resources["pods"]["percent"].is_number());
  CHECK(cluster["users"]["total"].get<int>() >= 2);
  CHECK(cluster["users"]["active"].get<int>() >= 2);
}

}  // namespace

TEST_CASE("ui contract: the admin Nodes page and dashboard", "[nodes]") {
  PlatformStack stack(UiPlatform());
  HttpClient api = stack.Api();
  const std::string admin = stack.LoginAdmin().token;
  const std::string user = stack.NewUser("plainuser").token;

  {
    INFO(ApiTs(550, "listNodes"));
    const HttpResponse listed = UiCall(api, "GET", "/admin/nodes", admin);
    REQUIRE(listed.status == 200);
    const json nodes = listed.Json();
    REQUIRE(nodes.is_array());
    REQUIRE(nodes.size() == 3);
    for (const json& node : nodes)
      CheckNodeShape(node);
    const json gpu = NodeNamed(nodes, "gpu-node-1");
    CHECK(gpu["provider"] == "aws");
    CHECK(gpu["region"] == "us-east-1");
    CHECK(gpu["zone"] == "us-east-1a");
    CHECK(gpu["allocatable"]["nvidia.com/gpu"] == "4");
    CHECK(gpu["taints"][0]["effect"] == "NoSchedule");
    CHECK(gpu["pods"].get<int>() >= 1);
    // The seed's path answers the same list.
    const HttpResponse seed = api.Get("/api/admin/nodes", admin);
    REQUIRE(seed.status == 200);
    CHECK(seed.Json().size() == 3);
  }

  {
    INFO(ApiTs(555, "getNode"));
    const HttpResponse got = UiCall(api, "GET", "/admin/nodes/node-a", admin);
    REQUIRE(got.status == 200);
    CheckNodeShape(got.Json());
    CHECK(got.Json()["name"] == "node-a");
    CHECK(UiCall(api, "GET", "/admin/nodes/no-such-node", admin).status == 404);
  }

  {
    INFO(ApiTs(560, "getClusterStats"));
    const HttpResponse got = UiCall(api, "GET", "/admin/nodes/stats", admin);
    REQUIRE(got.status == 200);
    const json stats = got.Json();
    INFO(stats.dump());
    CHECK(stats["totalNodes"] == 3);
    CHECK(stats["readyNodes"] == 3);
    CHECK(stats["notReadyNodes"] == 0);
    CHECK(stats["totalCapacity"]["cpu"] == "64");
    CHECK(stats["totalCapacity"]["memory"] == "256Gi");
    CHECK(stats["totalCapacity"]["pods"] == 330);
    CHECK(stats["totalAllocatable"]["cpu"].is_string());
    CHECK(stats["totalAllocatable"]["pods"].is_number_integer());
    REQUIRE(Eventually([&] {
      return UiCall(api, "GET", "/admin/nodes/stats", admin).Json().contains("totalUsage");
    }));
    const json usage = UiCall(api, "GET", "/admin/nodes/stats", admin).Json()["totalUsage"];
    CHECK(usage["cpuPercent"].is_number());
    CHECK(usage["memoryPercent"].is_number());
  }

  {
    INFO(ApiTs(565, "addNodeLabel") + ", " + ApiTs(569, "removeNodeLabel"));
    const HttpResponse added = UiCall(api, "PUT", "/admin/nodes/node-a/labels", admin,
                                      {{"key", "a.b/c"}, {"value", "desktops"}});
    REQUIRE(added.status == 200);
    CHECK(Kubectl(stack, "get node node-a")["metadata"]["labels"]["a.b/c"] == "desktops");
    // The Nodes page puts the key into the path as it is: its slash unencoded.
    const HttpResponse removed = UiCall(api, "DELETE", "/admin/nodes/node-a/labels/a.b/c", admin);
    INFO(removed.body);
    REQUIRE(removed.status == 200);
    CHECK_FALSE(removed.Json()["labels"].contains("a.b/c"));
    CHECK_FALSE(Kubectl(stack, "get node node-a")["metadata"]["labels"].contains("a.b/c"));
    // Percent-encoded, as our own clients send it.
    REQUIRE(UiCall(api, "PUT", "/admin/nodes/node-a/labels", admin,
                   {{"key", "a.b/c"}, {"value", "again"}})
                .status == 200);
    CHECK(UiCall(api, "DELETE", "/admin/nodes/node-a/labels/a.b%2Fc", admin).status == 200);
    CHECK_FALSE(Kubectl(stack, "get node node-a")["metadata"]["labels"].contains("a.b/c"));
    CHECK(UiCall(api, "DELETE", "/admin/nodes/node-a/labels/a.b/c", admin).status == 404);
  }

  {
    INFO(ApiTs(573, "addNodeTaint") + ", " + ApiTs(577, "removeNodeTaint"));
    const HttpResponse added =
        UiCall(api, "POST", "/admin/nodes/node-b/taints", admin,
               {{"key", "example.com/dedicated"}, {"value", "gpu"}, {"effect", "NoExecute"}});
    REQUIRE(added.status == 200);
    REQUIRE(added.Json()["taints"].size() == 1);
    CHECK(added.Json()["taints"][0]["key"] == "example.com/dedicated");
    CHECK(added.Json()["taints"][0]["value"] == "gpu");
    CHECK(added.Json()["taints"][0]["effect"] == "NoExecute");
    CHECK(Kubectl(stack, "get node node-b")["spec"]["taints"].size() == 1);
    const HttpResponse removed =
        UiCall(api, "DELETE", "/admin/nodes/node-b/taints/example.com/dedicated", admin);
    INFO(removed.body);
    REQUIRE(removed.status == 200);
    CHECK(removed.Json()["taints"].empty());
    CHECK_FALSE(Kubectl(stack, "get node node-b")["spec"].contains("taints"));
  }

  {
    INFO(ApiTs(581, "cordonNode") + ", " + ApiTs(585, "uncordonNode"));
    // axios posts no body here.
    const HttpResponse cordoned = UiCall(api, "POST", "/admin/nodes/node-a/cordon", admin);
    INFO(cordoned.body);
    REQUIRE(cordoned.status == 200);
    CHECK(Kubectl(stack, "get node node-a")["spec"].value("unschedulable", false));
    // The page reads schedulability from the taints.
    const json node = NodeNamed(UiCall(api, "GET", "/admin/nodes", admin).Json(), "node-a");
    bool no_schedule = false;
    for (const json& taint : node["taints"])
      no_schedule = no_schedule || taint["effect"] == "NoSchedule";
    CHECK(no_schedule);
    const HttpResponse uncordoned = UiCall(api, "POST", "/admin/nodes/node-a/uncordon", admin);
    REQUIRE(uncordoned.status == 200);
    CHECK(uncordoned.Json()["taints"].empty());
    CHECK_FALSE(Kubectl(stack, "get node node-a")["spec"].value("unschedulable", false));
  }

  {
    INFO(ApiTs(589, "drainNode"));
    const auto before = PodsOn(stack, "node-b");
    std::string daemon_pod;
    for (const auto& [pod, kind] : before) {
      if (kind == "DaemonSet")
        daemon_pod = pod;
    }
    REQUIRE_FALSE(daemon_pod.empty());
    // Nodes.tsx drains with a grace period of 30 and no other flag.
    const HttpResponse drained =
        UiCall(api, "POST", "/admin/nodes/node-b/drain", admin, {{"grace_period_seconds", 30}});
    INFO(drained.body);
    REQUIRE(drained.status == 200);
    CHECK(drained.Json()["completed"] == true);
    CHECK(Kubectl(stack, "get node node-b")["spec"].value("unschedulable", false));
    // The page reloads the list right after the drain: it shows the node cordoned at once.
    const json listed = UiCall(api, "GET", "/admin/nodes", admin).Json();
    for (const json& node : listed) {
      if (node["name"] == "node-b")
        CHECK(node["schedulable"] == false);
    }
    const auto after = PodsOn(stack, "node-b");
    // The DaemonSet pod is left alone, every other pod is gone.
    CHECK(after.count(daemon_pod) == 1);
    for (const auto& [pod, kind] : after) {
      INFO(pod);
      CHECK(kind == "DaemonSet");
    }
    CHECK(UiCall(api, "POST", "/admin/nodes/node-b/drain", admin, {{"grace_period_seconds", -1}})
              .status == 400);
  }

  {
    INFO(ApiTs(630, "getMetrics"));
    stack.Apply(
        "apiVersion: stream.streamspace.io/v1alpha1\nkind: Session\nmetadata:\n"
        "  name: plainuser-firefox-0a1b2c3d\n  namespace: streamspace\n"
        "spec: {user: plainuser, template: firefox, state: hibernated}\n");
    json metrics;
    REQUIRE(Eventually([&] {
      const HttpResponse got = UiCall(api, "GET", "/metrics", admin);
      metrics = got.Json();
      return got.status == 200 && metrics["cluster"]["sessions"]["hibernated"] == 1;
    }));
    CheckClusterShape(metrics["cluster"]);
    CHECK(metrics["cluster"]["sessions"]["total"].get<int>() >= 1);
  }

  {
    INFO(UseWebSocketTs(153, "useMetricsWebSocket"));
    const int port = stack.auth().api_port();
    WsReader admins(port, "/api/v1/ws/cluster", admin);
    const auto all = admins.Next();
    REQUIRE(all);
    CHECK((*all)["type"] == "metrics_update");
    CHECK((*all)["metrics"]["activeConnections"] == 0);
    CheckClusterShape((*all)["metrics"]["cluster"]);
    // A user gets their own connections, never the cluster block.
    WsReader users(port, "/api/v1/ws/cluster", user);
    const auto mine = users.Next();
    REQUIRE(mine);
    CHECK((*mine)["type"] == "metrics_update");
    CHECK((*mine)["metrics"]["activeConnections"] == 0);
    CHECK_FALSE((*mine)["metrics"].contains("cluster"));
  }

  {
    INFO("a plain user gets 403 on every admin route and changes nothing");
    const json label = {{"key", "a.b/c"}, {"value", "x"}};
    const json taint = {{"key", "a"}, {"value", "b"}, {"effect", "NoSchedule"}};
    const std::vector<std::tuple<std::string, std::string, json>> calls = {
        {"GET", "/admin/nodes", kNoBody},
        {"GET", "/admin/nodes/node-a", kNoBody},
        {"GET", "/admin/nodes/stats", kNoBody},
        {"PUT", "/admin/nodes/node-a/labels", label},
        {"DELETE", "/admin/nodes/node-a/labels/kubernetes.io/hostname", kNoBody},
        {"POST", "/admin/nodes/node-a/taints", taint},
        {"DELETE", "/admin/nodes/gpu-node-1/taints/nvidia.com/gpu", kNoBody},
        {"POST", "/admin/nodes/node-a/cordon", kNoBody},
        {"POST", "/admin/nodes/node-a/uncordon", kNoBody},
        {"POST", "/admin/nodes/node-a/drain", {{"grace_period_seconds", 30}}},
        {"GET", "/metrics", kNoBody},
    };
    const json before = Kubectl(stack, "get nodes");
    for (const auto& [method, path, body] : calls) {
      INFO(method << " " << path);
      const HttpResponse response = UiCall(api, method, path, user, body);
      CHECK(response.status == 403);
      CHECK(IsStatusBody(response, 7));
    }
    CHECK(api.Get("/api/admin/nodes", user).status == 403);
    INFO("an operator reads nodes and changes none");
    const std::string operator_token = NewUserWithRole(stack, admin, "olivia", "operator").token;
    for (const auto& [method, path, body] : calls) {
      INFO(method << " " << path);
      const bool read = method == "GET" && path != "/metrics";
      CHECK(UiCall(api, method, path, operator_token, body).status == (read ? 200 : 403));
    }
    const json after = Kubectl(stack, "get nodes");
    for (size_t i = 0; i < before["items"].size(); ++i) {
      CHECK(after["items"][i]["metadata"]["resourceVersion"] ==
            before["items"][i]["metadata"]["resourceVersion"]);
    }
  }
}

}  // namespace ss::test
