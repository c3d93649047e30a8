#include "node_view.h"

#include <catch2/catch.hpp>

#include "pod_summary.h"

namespace ss::nodes {
namespace {

using nlohmann::json;

json GpuNode() {
  return json::parse(R"({
    "metadata": {"name": "gpu-node-1", "creationTimestamp": "2026-11-27T00:00:00Z",
      "labels": {"kubernetes.io/hostname": "gpu-node-1",
                 "node.kubernetes.io/instance-type": "g5.12xlarge",
                 "topology.kubernetes.io/region": "us-east-1",
                 "topology.kubernetes.io/zone": "us-east-1a",
                 "node-role.kubernetes.io/gpu": "",
                 "nvidia.com/gpu.present": "true", "nvidia.com/gpu.product": "NVIDIA-A10G",
                 "nvidia.com/gpu.memory": "23028"}},
    "spec": {"providerID": "aws:///us-east-1a/i-0a1b2c3d4e5f60003",
             "taints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}]},
    "status": {
      "capacity": {"cpu": "48", "memory": "192Gi", "pods": "110", "nvidia.com/gpu": "4"},
      "allocatable": {"cpu": "47500m", "memory": "190Gi", "pods": "110", "nvidia.com/gpu": "4"},
      "conditions": [{"type": "MemoryPressure", "status": "False"},
                     {"type": "Ready", "status": "True", "reason": "KubeletReady"}],
      "addresses": [{"type": "InternalIP", "address": "10.0.1.12"}],
      "nodeInfo": {"kubeletVersion": "v1.32.4", "osImage": "Ubuntu 22.04.4 LTS",
                   "operatingSystem": "linux", "architecture": "amd64",
                   "kernelVersion": "6.5.0", "containerRuntimeVersion": "containerd://1.7.13"}}
  })");
}

}  // namespace

TEST_CASE("providerIDs name the cloud, zone and instance", "[view]") {
  const ProviderId aws = ParseProviderId("aws:///us-east-1a/i-0abc");
  CHECK(aws.provider == "aws");
  CHECK(aws.zone == "us-east-1a");
  CHECK(aws.instance_id == "i-0abc");
  const ProviderId gce = ParseProviderId("gce://my-project/europe-west4-b/gke-pool-1-abcd");
  CHECK(gce.provider == "gce");
  CHECK(gce.zone == "europe-west4-b");
  CHECK(gce.instance_id == "gke-pool-1-abcd");
  const ProviderId azure = ParseProviderId(
      "azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/"
      "virtualMachineScaleSets/vmss/virtualMachines/3");
  CHECK(azure.provider == "azure");
  CHECK(azure.instance_id == "3");
  CHECK(azure.zone.empty());
  CHECK(ParseProviderId("").provider.empty());
  CHECK(ParseProviderId("no-scheme").provider.empty());
  CHECK(ParseProviderId("kind://docker/kind/kind-worker").instance_id == "kind-worker");
}

TEST_CASE("legacy beta labels fill the cloud fields", "[view]") {
  const json node = json::parse(R"({"metadata": {"name": "old", "labels": {
      "failure-domain.beta.kubernetes.io/region": "eu-west-1",
      "failure-domain.beta.kubernetes.io/zone": "eu-west-1c",
      "beta.kubernetes.io/instance-type": "m4.large"}}, "spec": {}, "status": {}})");
  pb::Node view;
  SetCloud(node, &view);
  CHECK(view.provider().empty());
  CHECK(view.region() == "eu-west-1");
  CHECK(view.zone() == "eu-west-1c");
  CHECK(view.cloud().instance_type() == "m4.large");
}

TEST_CASE("a node view has everything the API promises", "[view]") {
  NodeLoad load{3, 1500, 2LL << 30, 2};
  NodeUsageSample usage{4750, 19LL << 30, "2026-11-27T01:00:00Z"};
  const pb::Node view = BuildNode(GpuNode(), load, &usage);
  CHECK(view.name() == "gpu-node-1");
  CHECK(view.status() == "Ready");
  CHECK(view.schedulable());
  CHECK(view.taints_size() == 1);
  CHECK(view.taints(0).effect() == "NoSchedule");
  CHECK(view.conditions_size() == 2);
  CHECK(view.capacity().at("nvidia.com/gpu") == "4");
  CHECK(view.allocatable().at("cpu") == "47500m");
  CHECK(view.pods() == 3);
  CHECK(view.cpu_requested_millicores() == 1500);
  CHECK(view.usage().cpu_millicores() == 4750);
  CHECK(view.usage().cpu_percent() == Approx(10.0));
  CHECK(view.usage().memory_percent() == Approx(10.0));
  CHECK(view.usage().cpu() == "4.75");
  CHECK(view.usage().memory() == "19Gi");
  CHECK(view.gpu().count() == 4);
  CHECK(view.gpu().requested() == 2);
  CHECK(view.gpu().vendor() == "nvidia");
  CHECK(view.gpu().product() == "NVIDIA-A10G");
  CHECK(view.gpu().memory() == "23028");
  CHECK(view.provider() == "aws");
  CHECK(view.region() == "us-east-1");
  CHECK(view.zone() == "us-east-1a");
  CHECK(view.cloud().instance_type() == "g5.12xlarge");
  CHECK(view.cloud().instance_id() == "i-0a1b2c3d4e5f60003");
  CHECK(view.info().kubelet_version() == "v1.32.4");
  CHECK(view.info().os_image() == "Ubuntu 22.04.4 LTS");
  CHECK(view.info().container_runtime() == "containerd://1.7.13");
  CHECK(view.addresses().at("InternalIP") == "10.0.1.12");
  REQUIRE(view.roles_size() == 1);
  CHECK(view.roles(0) == "gpu");
}

TEST_CASE("a plain node has no GPU, cloud or usage", "[view]") {
  const json node = json::parse(R"({"metadata": {"name": "bare"},
      "spec": {"unschedulable": true},
      "status": {"capacity": {"cpu": "2"}, "conditions": [{"type": "Ready", "status": "False"}]}})");
  const pb::Node view = BuildNode(node, {}, nullptr);
  CHECK(view.status() == "NotReady");
  CHECK_FALSE(view.schedulable());
  // Cordoned: marked as Kubernetes' node lifecycle controller marks it.
  REQUIRE(view.taints_size() == 1);
  CHECK(view.taints(0).key() == "node.kubernetes.io/unschedulable");
  CHECK(view.taints(0).effect() == "NoSchedule");
  CHECK(view.gpu().count() == 0);
  CHECK(view.gpu().vendor().empty());
  CHECK(view.provider().empty());
  CHECK_FALSE(view.has_usage());
}

TEST_CASE("mistyped fields read as empty, never as an exception", "[view]") {
  const json node = json::parse(R"({"metadata": {"name": "odd", "labels": "x"},
      "spec": {"unschedulable": "yes", "taints": {}},
      "status": {"capacity": [], "conditions": "Ready", "addresses": 5}})");
  const pb::Node view = BuildNode(node, {}, nullptr);
  CHECK(view.name() == "odd");
  CHECK(view.status() == "Unknown");
  CHECK(view.labels().empty());
  CHECK(view.schedulable());
  CHECK(view.taints().empty());
  CHECK(view.capacity().empty());
  CHECK(view.conditions().empty());
  CHECK(view.addresses().empty());
  const PodSummary pod = SummarizePod(json::parse(R"({"metadata": {"name": "p",
      "ownerReferences": ["x", {"controller": true, "kind": "ReplicaSet", "name": "rs"}]},
      "spec": {"containers": "web"}})"));
  CHECK(pod.owner_kind == "ReplicaSet");
  CHECK(pod.cpu_millicores == 0);
}

TEST_CASE("AMD GPUs by capacity and labels", "[view]") {
  const json node = json::parse(R"({"metadata": {"name": "mi", "labels": {
      "amd.com/gpu.product-name": "AMD_Instinct_MI300X"}},
      "status": {"capacity": {"amd.com/gpu": "8"}}})");
  const pb::NodeGpu gpu = GpuOf(node, 0);
  CHECK(gpu.count() == 8);
  CHECK(gpu.vendor() == "amd");
  CHECK(gpu.product() == "AMD_Instinct_MI300X");
}

TEST_CASE("pod summaries keep what nodes need", "[view]") {
  const json pod = json::parse(R"({
    "metadata": {"namespace": "streamspace", "name": "alice-firefox-1", "uid": "u1",
      "labels": {"streamspace.io/user": "alice", "streamspace.io/user-id": "u-17",
                 "streamspace.io/session": "alice-firefox-1a2b"},
      "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "controller": true}]},
    "spec": {"nodeName": "node-a",
      "volumes": [{"name": "tmp", "emptyDir": {}}],
      "initContainers": [{"name": "init", "resources": {"requests": {"cpu": "2"}}}],
      "containers": [
        {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"},
                                    "limits": {"nvidia.com/gpu": "1"}}},
        {"name": "b", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]},
    "status": {"phase": "Running"}})");
  const PodSummary summary = SummarizePod(pod);
  CHECK(summary.key() == "streamspace/alice-firefox-1");
  CHECK(summary.node == "node-a");
  CHECK(summary.owner_kind == "ReplicaSet");
  CHECK(summary.user_id == "u-17");
  CHECK(summary.session == "alice-firefox-1a2b");
  CHECK(summary.empty_dir);
  CHECK_FALSE(summary.mirror);
  CHECK(summary.cpu_millicores == 2000);
  CHECK(summary.memory_bytes == (1LL << 30) + (512LL << 20));
  CHECK(summary.gpus == 1);
  CHECK(summary.active());
}

}  // namespace ss::nodes
