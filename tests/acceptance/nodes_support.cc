#include "nodes_support.h"

#include <catch2/catch.hpp>
#include <fstream>

namespace ss::test {

const std::string& NodesClusterYaml() {
  static const std::string kYaml = R"yaml(
apiVersion: v1
kind: Namespace
metadata: {name: default}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: streamspace}
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
    kubernetes.io/os: linux
    node.kubernetes.io/instance-type: m5.2xlarge
    topology.kubernetes.io/region: us-east-1
    topology.kubernetes.io/zone: us-east-1a
spec:
  providerID: aws:///us-east-1a/i-0a1b2c3d4e5f60001
status:
  capacity: {cpu: "8", memory: 32Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels:
    kubernetes.io/hostname: node-b
    beta.kubernetes.io/instance-type: n2-standard-8
    failure-domain.beta.kubernetes.io/region: europe-west4
    failure-domain.beta.kubernetes.io/zone: europe-west4-b
spec:
  providerID: gce://streamspace-test/europe-west4-b/node-b
status:
  capacity: {cpu: "8", memory: 32Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: gpu-node-1
  labels:
    kubernetes.io/hostname: gpu-node-1
    node.kubernetes.io/instance-type: g5.12xlarge
    topology.kubernetes.io/region: us-east-1
    topology.kubernetes.io/zone: us-east-1a
    nvidia.com/gpu.present: "true"
    nvidia.com/gpu.product: NVIDIA-A10G
    nvidia.com/gpu.count: "4"
spec:
  providerID: aws:///us-east-1a/i-0a1b2c3d4e5f60003
  taints:
  - {key: nvidia.com/gpu, value: present, effect: NoSchedule}
status:
  capacity: {cpu: "48", memory: 192Gi, pods: "110", nvidia.com/gpu: "4"}
---
apiVersion: v1
kind: Node
metadata:
  name: plain-node
  labels: {kubernetes.io/hostname: plain-node}
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      tolerations: [{operator: Exists}]
      containers:
      - {name: kube-proxy, image: "registry.k8s.io/kube-proxy:v1.32.4", resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  replicas: 2
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      containers:
      - {name: coredns, image: "registry.k8s.io/coredns/coredns:v1.11.3", resources: {requests: {cpu: 100m, memory: 70Mi}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: coredns, namespace: kube-system}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
)yaml";
  return kYaml;
}

kube::testing::EmulatorOptions SeededEmulator(const std::string& cluster_file) {
  kube::testing::EmulatorOptions options;
  options.extra_args = {"--cluster-file", cluster_file};
  return options;
}

NodesStack::NodesStack(NodesStackOptions options) : dir_("nodes-acceptance-") {
  std::ofstream(dir_.path() / "cluster.yaml") << options.cluster_yaml;
  PlatformOptions platform;
  platform.emulator = options.emulator;
  platform.emulator.extra_args.insert(platform.emulator.extra_args.end(),
                                      {"--cluster-file", cluster_file()});
  platform.services.push_back({"nodes", 1, options.env});
  stack_ = std::make_unique<PlatformStack>(std::move(platform));
  admin_token_ = stack_->LoginAdmin().token;
  HttpClient api = Api();
  // Ready once the caches are filled and every pod of the seed runs (usage is sampled).
  const bool ready = Eventually(
      [&] {
        const HttpResponse stats = api.Get("/api/admin/nodes/stats", admin_token_);
        if (stats.status != 200)
          return false;
        const auto body = stats.Json();
        return Int(body, "totalNodes") == options.nodes && Int(body["pods"], "used") > 0 &&
               Int(body["cpu"], "used") > 0;
      },
      options.ready_timeout);
  REQUIRE(ready);
}

std::unique_ptr<nodes_pb::NodesService::Stub> NodesStack::Stub() {
  return nodes_pb::NodesService::NewStub(stack_->Channel("nodes"));
}

void NodesStack::Authorize(grpc::ClientContext* context, const std::string& token) {
  context->AddMetadata("authorization", "Bearer " + token);
}

nlohmann::json NodesStack::KubectlNode(const std::string& name) {
  const auto [status, output] = stack_->Kubectl("get node " + name + " -o json 2>/dev/null");
  REQUIRE(status == 0);
  return nlohmann::json::parse(output);
}

long long Int(const nlohmann::json& object, const std::string& key) {
  const auto it = object.find(key);
  if (it == object.end())
    return 0;
  return it->is_string() ? std::stoll(it->get<std::string>()) : it->get<long long>();
}

HttpResponse Send(HttpClient& api, const std::string& method, const std::string& target,
                  const std::string& token, const std::string& body) {
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.headers["authorization"] = "Bearer " + token;
  if (!body.empty()) {
    request.headers["content-type"] = "application/json";
    request.body = body;
  }
  return api.Send(request);
}

}  // namespace ss::test
