// A Node object and what the caches know about it (its pods, its metrics) as the API's Node.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "streamspace/nodes/v1/nodes.pb.h"

namespace ss::nodes {

namespace pb = streamspace::nodes::v1;

// The pods bound to a node that have not finished: their count and summed requests.
struct NodeLoad {
  int pods = 0;
  int64_t cpu_millicores = 0;
  int64_t memory_bytes = 0;
  int64_t gpus = 0;
};

// One metrics.k8s.io NodeMetrics sample.
struct NodeUsageSample {
  int64_t cpu_millicores = 0;
  int64_t memory_bytes = 0;
  std::string timestamp;  // RFC 3339
};

// Cloud provider, instance id and zone from spec.providerID: "aws:///us-east-1a/i-0abc",
// "gce://project/us-central1-a/instance", "azure:///subscriptions/.../virtualMachines/vm".
struct ProviderId {
  std::string provider;
  std::string zone;
  std::string instance_id;
};
ProviderId ParseProviderId(std::string_view provider_id);

// Cloud fields from the providerID and the well-known labels (current, then legacy beta): the
// provider, region and zone of `view` and its `cloud`.
void SetCloud(const nlohmann::json& node, pb::Node* view);
// GPUs from nvidia.com/gpu and amd.com/gpu capacity and the vendors' labels.
pb::NodeGpu GpuOf(const nlohmann::json& node, int64_t requested);

// `usage` may be null (no sample yet).
pb::Node BuildNode(const nlohmann::json& node, const NodeLoad& load, const NodeUsageSample* usage);

// The usage part alone (also used by the metrics stream): percentages of allocatable.
pb::NodeUsage UsageOf(const NodeUsageSample& sample, int64_t allocatable_cpu_millicores,
                      int64_t allocatable_memory_bytes);

// Percent of `part` in `whole` rounded to two decimals; 0 when `whole` is 0.
double Percent(int64_t part, int64_t whole);

// Millicores as cores for display: 7500 is "7.5", 250 is "0.25".
std::string CoresText(int64_t millicores);
// Bytes as Kubernetes prints a binary quantity: the largest of Ki..Ei that divides them exactly
// ("32Gi", "1536Mi"), else plain bytes.
std::string BytesText(int64_t bytes);
// The time since `created_at` (RFC 3339) as kubectl prints an age: "45s", "12m", "5h", "3d";
// empty when `created_at` is not a time.
std::string AgeText(std::string_view created_at, std::chrono::system_clock::time_point now);

}  // namespace ss::nodes
