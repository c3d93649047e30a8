// Issue 6: the node routes through the gateway, on nodes with GPUs and cloud labels and without;
// admin-only routes refuse users; bad labels and taints change nothing.
#include <catch2/catch.hpp>

#include "nodes_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

json NodeNamed(const json& list, const std::string& name) {
  for (const json& node : list) {
    if (node["name"] == name)
      return node;
  }
  return json();
}

}  // namespace

TEST_CASE("nodes: list, get and stats show GPUs, clouds and usage", "[routes]") {
  NodesStack stack;
  HttpClient api = stack.Api();
  const std::string& admin = stack.admin_token();

  const HttpResponse listed = api.Get("/api/admin/nodes", admin);
  REQUIRE(listed.status == 200);
  // A bare array, every node (as the web UI reads it).
  const json list = listed.Json();
  REQUIRE(list.is_array());
  REQUIRE(list.size() == 4);
  CHECK(list[0]["name"] == "gpu-node-1");

  const json gpu = NodeNamed(list, "gpu-node-1");
  CHECK(gpu["gpu"]["vendor"] == "nvidia");
  CHECK(gpu["gpu"]["count"] == 4);
  CHECK(gpu["gpu"]["product"] == "NVIDIA-A10G");
  CHECK(gpu["provider"] == "aws");
  CHECK(gpu["cloud"]["instanceType"] == "g5.12xlarge");
  CHECK(gpu["zone"] == "us-east-1a");
  CHECK(gpu["taints"][0]["effect"] == "NoSchedule");
  CHECK(gpu["capacity"]["nvidia.com/gpu"] == "4");

  const json node_b = NodeNamed(list, "node-b");
  CHECK(node_b["provider"] == "gce");
  CHECK(node_b["region"] == "europe-west4");
  CHECK(node_b["zone"] == "europe-west4-b");
  CHECK(node_b["cloud"]["instanceType"] == "n2-standard-8");
  CHECK(node_b["gpu"].value("vendor", "") == "");
  CHECK(Int(node_b["gpu"], "count") == 0);

  const json plain = NodeNamed(list, "plain-node");
  CHECK(plain.value("provider", "") == "");
  CHECK(plain.value("region", "") == "");
  CHECK(Int(plain["gpu"], "count") == 0);
  CHECK(plain["status"] == "Ready");
  CHECK(plain["schedulable"] == true);
  CHECK(plain["info"]["kubeletVersion"] == "v1.32.4");
  CHECK(plain["capacity"]["cpu"] == "4");
  CHECK(Int(plain, "pods") >= 1);  // its kube-proxy

  const HttpResponse one = api.Get("/api/admin/nodes/node-a", admin);
  REQUIRE(one.status == 200);
  const json node_a = one.Json();
  CHECK(node_a["name"] == "node-a");
  CHECK(node_a["cloud"]["instanceId"] == "i-0a1b2c3d4e5f60001");
  CHECK(node_a["labels"]["topology.kubernetes.io/zone"] == "us-east-1a");
  CHECK(Int(node_a["usage"], "cpuMillicores") > 0);
  CHECK(Int(node_a["usage"], "memoryBytes") > 0);
  CHECK_FALSE(node_a["conditions"].empty());
  CHECK(api.Get("/api/admin/nodes/no-such-node", admin).status == 404);
  CHECK(api.Get("/api/admin/nodes/Bad_Name", admin).status == 400);

  // Pages (their tokens travel over gRPC; REST answers the bare array) and label selectors.
  const auto stub = stack.Stub();
  nodes_pb::ListNodesRequest request;
  request.set_page_size(3);
  nodes_pb::ListNodesResponse first;
  {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, admin);
    REQUIRE(stub->ListNodes(&context, request, &first).ok());
  }
  CHECK(first.total() == 4);
  REQUIRE(first.nodes_size() == 3);
  request.set_page_token(first.next_page_token());
  nodes_pb::ListNodesResponse rest;
  {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, admin);
    REQUIRE(stub->ListNodes(&context, request, &rest).ok());
  }
  REQUIRE(rest.nodes_size() == 1);
  CHECK(rest.nodes(0).name() == "plain-node");
  CHECK(api.Get("/api/admin/nodes?pageSize=3", admin).Json().size() == 3);
  const json gpus =
      api.Get("/api/admin/nodes?labelSelector=nvidia.com%2Fgpu.present%3Dtrue", admin).Json();
  REQUIRE(gpus.size() == 1);
  CHECK(gpus[0]["name"] == "gpu-node-1");
  const json in_zone =
      api.Get("/api/admin/nodes?labelSelector=topology.kubernetes.io%2Fzone%20in%20(us-east-1a)",
              admin)
          .Json();
  CHECK(in_zone.size() == 2);
  CHECK(api.Get("/api/admin/nodes?labelSelector=a%20in%20(b", admin).status == 400);
  CHECK(api.Get("/api/admin/nodes?pageSize=501", admin).status == 400);

  const HttpResponse stats = api.Get("/api/admin/nodes/stats", admin);
  REQUIRE(stats.status == 200);
  const json s = stats.Json();
  CHECK(Int(s, "totalNodes") == 4);
  CHECK(Int(s, "readyNodes") == 4);
  CHECK(Int(s, "gpuNodes") == 1);
  CHECK(Int(s["cpu"], "allocatable") == 68000);
  CHECK(Int(s["gpus"], "capacity") == 4);
  CHECK(Int(s["pods"], "allocatable") == 440);
  CHECK(s["cpu"]["usedPercent"].get<double>() > 0);
  CHECK(s["memory"]["usedPercent"].get<double>() < 100);
}

TEST_CASE("nodes: labels, taints and cordon change the node", "[changes]") {
  NodesStack stack;
  HttpClient api = stack.Api();
  const std::string& admin = stack.admin_token();

  HttpResponse put = Send(api, "PUT", "/api/admin/nodes/node-a/labels", admin,
                          R"({"key": "streamspace.io/pool", "value": "desktops"})");
  REQUIRE(put.status == 200);
  CHECK(put.Json()["labels"]["streamspace.io/pool"] == "desktops");
  CHECK(stack.KubectlNode("node-a")["metadata"]["labels"]["streamspace.io/pool"] == "desktops");
  CHECK(Send(api, "PUT", "/api/admin/nodes/node-a/labels", admin, R"({"key": "empty"})").status ==
        200);
  CHECK(stack.KubectlNode("node-a")["metadata"]["labels"]["empty"] == "");
  CHECK(Eventually([&] {
    return api.Get("/api/admin/nodes?labelSelector=streamspace.io%2Fpool%3Ddesktops", admin)
               .Json()
               .size() == 1;
  }));

  const HttpResponse removed =
      Send(api, "DELETE", "/api/admin/nodes/node-a/labels/streamspace.io%2Fpool", admin);
  REQUIRE(removed.status == 200);
  CHECK_FALSE(removed.Json()["labels"].contains("streamspace.io/pool"));
  CHECK_FALSE(stack.KubectlNode("node-a")["metadata"]["labels"].contains("streamspace.io/pool"));
  CHECK(Send(api, "DELETE", "/api/admin/nodes/node-a/labels/streamspace.io%2Fpool", admin).status ==
        404);
  CHECK(Send(api, "PUT", "/api/admin/nodes/nope/labels", admin, R"({"key": "a", "value": "b"})")
            .status == 404);

  HttpResponse tainted = Send(api, "POST", "/api/admin/nodes/node-b/taints", admin,
                              R"({"key": "dedicated", "value": "gpu", "effect": "NoExecute"})");
  REQUIRE(tainted.status == 200);
  CHECK(tainted.Json()["taints"].size() == 1);
  auto taints = stack.KubectlNode("node-b")["spec"]["taints"];
  REQUIRE(taints.size() == 1);
  CHECK(taints[0]["key"] == "dedicated");
  CHECK(taints[0]["effect"] == "NoExecute");
  REQUIRE(Send(api, "POST", "/api/admin/nodes/node-b/taints", admin,
               R"({"key": "dedicated", "value": "ml", "effect": "NoExecute"})")
              .status == 200);
  taints = stack.KubectlNode("node-b")["spec"]["taints"];
  REQUIRE(taints.size() == 1);
  CHECK(taints[0]["value"] == "ml");
  CHECK(Send(api, "DELETE", "/api/admin/nodes/node-b/taints/dedicated", admin).status == 200);
  CHECK_FALSE(stack.KubectlNode("node-b")["spec"].contains("taints"));
  CHECK(Send(api, "DELETE", "/api/admin/nodes/node-b/taints/dedicated", admin).status == 404);

  const HttpResponse cordoned =
      Send(api, "POST", "/api/admin/nodes/plain-node/cordon", admin, "{}");
  REQUIRE(cordoned.status == 200);
  CHECK(cordoned.Json().value("schedulable", true) == false);
  CHECK(stack.KubectlNode("plain-node")["spec"].value("unschedulable", false));
  CHECK(Eventually(
      [&] { return Int(api.Get("/api/admin/nodes/stats", admin).Json(), "cordoned") == 1; }));
  const HttpResponse uncordoned =
      Send(api, "POST", "/api/admin/nodes/plain-node/uncordon", admin, "{}");
  REQUIRE(uncordoned.status == 200);
  CHECK(uncordoned.Json()["schedulable"] == true);
  CHECK_FALSE(stack.KubectlNode("plain-node")["spec"].value("unschedulable", false));
}

TEST_CASE("nodes: malformed labels and taints get 400 and change nothing", "[bad-input]") {
  NodesStack stack;
  HttpClient api = stack.Api();
  const std::string& admin = stack.admin_token();
  const json before = stack.KubectlNode("node-a");

  for (const char* body : {
           R"({"key": "bad key", "value": "x"})",
           R"({"key": "-leading", "value": "x"})",
           R"({"key": "a/b/c", "value": "x"})",
           R"({"key": "UPPER.example.com/x", "value": "x"})",
           R"({"key": "team", "value": "has spaces"})",
           R"({"key": "team", "value": "trailing-"})",
           R"({"key": "kubernetes.io/hostname", "value": "evil"})",
           R"({"key": "node.kubernetes.io/instance-type", "value": "x"})",
           R"({"key": "k8s.io/thing", "value": "x"})",
           R"({"key": "", "value": "x"})",
       }) {
    INFO(body);
    const HttpResponse response = Send(api, "PUT", "/api/admin/nodes/node-a/labels", admin, body);
    CHECK(response.status == 400);
    CHECK(IsStatusBody(response, 3));
  }
  for (const char* body : {
           R"({"key": "dedicated", "value": "x", "effect": "NoEvict"})",
           R"({"key": "dedicated", "value": "x", "effect": ""})",
           R"({"key": "dedicated", "value": "with space", "effect": "NoSchedule"})",
           R"({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"})",
           R"({"key": "bad key", "effect": "NoSchedule"})",
       }) {
    INFO(body);
    CHECK(Send(api, "POST", "/api/admin/nodes/node-a/taints", admin, body).status == 400);
  }
  CHECK(Send(api, "DELETE", "/api/admin/nodes/node-a/labels/kubernetes.io%2Fhostname", admin)
            .status == 400);
  CHECK(Send(api, "DELETE", "/api/admin/nodes/node-a/labels/bad%20key", admin).status == 400);

  const json after = stack.KubectlNode("node-a");
  CHECK(after["metadata"]["labels"] == before["metadata"]["labels"]);
  CHECK(after["spec"] == before["spec"]);
  CHECK(after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]);
}

TEST_CASE("nodes: users get 403 on every admin route", "[admin-only]") {
  NodesStack stack;
  HttpClient api = stack.Api();
  const std::string user = stack.platform().NewUser("nodeuser").token;
  const std::string body = R"({"key": "a", "value": "b", "effect": "NoSchedule"})";
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/admin/nodes"},
      {"GET", "/api/admin/nodes/stats"},
      {"GET", "/api/admin/nodes/node-a"},
      {"PUT", "/api/admin/nodes/node-a/labels"},
      {"DELETE", "/api/admin/nodes/node-a/labels/kubernetes.io%2Fhostname"},
      {"POST", "/api/admin/nodes/node-a/taints"},
      {"DELETE", "/api/admin/nodes/node-a/taints/a"},
      {"POST", "/api/admin/nodes/node-a/cordon"},
      {"POST", "/api/admin/nodes/node-a/uncordon"},
      {"POST", "/api/admin/nodes/node-a/drain"},
  };
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    const HttpResponse response =
        Send(api, method, path, user, method == "GET" || method == "DELETE" ? "" : body);
    CHECK(response.status == 403);
    CHECK(IsStatusBody(response, 7));
    CHECK(Send(api, method, path, "", "").status == 401);
  }
  CHECK_FALSE(stack.KubectlNode("node-a")["spec"].value("unschedulable", false));
}

}  // namespace ss::test
