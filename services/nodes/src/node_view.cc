#include "node_view.h"

#include <algorithm>
#include <cmath>

#include "core/rfc3339.h"
#include "kube/json_read.h"
#include "kube/quantity.h"

namespace ss::nodes {
namespace {

using kube::ArrayAt;
using kube::AsText;
using kube::Child;
using kube::ObjectAt;
using kube::StringAt;
using nlohmann::json;

// The first of `keys` present in `labels`.
std::string FirstLabel(const json& labels, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (std::string value = StringAt(labels, key); !value.empty())
      return value;
  }
  return {};
}

void CopyStringMap(const json& object, google::protobuf::Map<std::string, std::string>* out) {
  for (const auto& [key, value] : object.items()) {
    if (value.is_string() || value.is_number())
      (*out)[key] = AsText(value);
  }
}

bool LooksLikeZone(std::string_view segment) {
  // us-east-1a, europe-west4-b, eastus-1: a region name with a trailing zone letter or digit.
  return segment.find('-') != std::string_view::npos && segment.rfind("i-", 0) != 0;
}

}  // namespace

ProviderId ParseProviderId(std::string_view provider_id) {
  ProviderId parsed;
  const size_t scheme_end = provider_id.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0)
    return parsed;
  parsed.provider = std::string(provider_id.substr(0, scheme_end));
  std::string_view rest = provider_id.substr(scheme_end + 3);
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t slash = rest.find('/', start);
    const std::string_view segment =
        rest.substr(start, slash == std::string_view::npos ? rest.size() - start : slash - start);
    if (!segment.empty())
      segments.push_back(segment);
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  if (segments.empty())
    return parsed;
  parsed.instance_id = std::string(segments.back());
  if (parsed.provider == "aws" && segments.size() >= 2 && LooksLikeZone(segments.front())) {
    parsed.zone = std::string(segments.front());  // aws:///<zone>/<instance>
  } else if (parsed.provider == "gce" && segments.size() == 3) {
    parsed.zone = std::string(segments[1]);  // gce://<project>/<zone>/<instance>
  }
  return parsed;
}

void SetCloud(const json& node, pb::Node* view) {
  const json& labels = ObjectAt(ObjectAt(node, "metadata"), "labels");
  const std::string provider_id = StringAt(Child(node, "spec"), "providerID");
  const ProviderId parsed = ParseProviderId(provider_id);
  view->set_provider(parsed.provider);
  view->set_region(FirstLabel(
      labels, {"topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"}));
  std::string zone =
      FirstLabel(labels, {"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"});
  view->set_zone(zone.empty() ? parsed.zone : zone);
  pb::NodeCloud& cloud = *view->mutable_cloud();
  cloud.set_provider_id(provider_id);
  cloud.set_instance_id(parsed.instance_id);
  cloud.set_instance_type(
      FirstLabel(labels, {"node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"}));
}

pb::NodeGpu GpuOf(const json& node, int64_t requested) {
  const json& labels = ObjectAt(ObjectAt(node, "metadata"), "labels");
  const json& status = Child(node, "status");
  const json& capacity = Child(status, "capacity");
  const json& allocatable = Child(status, "allocatable");
  const int64_t nvidia = kube::Value(StringAt(capacity, "nvidia.com/gpu"));
  const int64_t amd = kube::Value(StringAt(capacity, "amd.com/gpu"));
  pb::NodeGpu gpu;
  int64_t count = nvidia + amd;
  if (count == 0)
    count = kube::Value(FirstLabel(labels, {"nvidia.com/gpu.count", "amd.com/gpu.count"}));
  gpu.set_count(static_cast<int32_t>(count));
  gpu.set_allocatable(static_cast<int32_t>(kube::Value(StringAt(allocatable, "nvidia.com/gpu")) +
                                           kube::Value(StringAt(allocatable, "amd.com/gpu"))));
  gpu.set_requested(static_cast<int32_t>(requested));
  const bool nvidia_labelled = StringAt(labels, "nvidia.com/gpu.present") == "true" ||
                               labels.contains("nvidia.com/gpu.product");
  const bool amd_labelled = labels.contains("amd.com/gpu.product-name") ||
                            labels.contains("amd.com/gpu.family") ||
                            StringAt(labels, "feature.node.kubernetes.io/amd-gpu") == "true";
  if (nvidia > 0 || (amd == 0 && nvidia_labelled)) {
    gpu.set_vendor("nvidia");
    gpu.set_product(
        FirstLabel(labels, {"nvidia.com/gpu.product", "cloud.google.com/gke-accelerator",
                            "k8s.amazonaws.com/accelerator"}));
    gpu.set_memory(StringAt(labels, "nvidia.com/gpu.memory"));
  } else if (amd > 0 || amd_labelled) {
    gpu.set_vendor("amd");
    gpu.set_product(FirstLabel(labels, {"amd.com/gpu.product-name", "amd.com/gpu.family"}));
    gpu.set_memory(StringAt(labels, "amd.com/gpu.vram"));
  }
  return gpu;
}

double Percent(int64_t part, int64_t whole) {
  if (whole <= 0)
    return 0;
  return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 100.0;
}

std::string CoresText(int64_t millicores) {
  std::string text = std::to_string(millicores / 1000);
  if (const int64_t fraction = millicores % 1000; fraction != 0) {
    std::string digits = std::to_string(1000 + fraction).substr(1);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

std::string BytesText(int64_t bytes) {
  constexpr const char* kSuffixes[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  if (bytes == 0)
    return "0";
  int suffix = -1;
  while (suffix + 1 < 6 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++suffix;
  }
  return std::to_string(bytes) + (suffix < 0 ? "" : kSuffixes[suffix]);
}

std::string AgeText(std::string_view created_at, std::chrono::system_clock::time_point now) {
  const auto created = core::ParseRfc3339(created_at);
  if (!created)
    return {};
  using std::chrono::duration_cast;
  const int64_t seconds =
      std::max<int64_t>(0, duration_cast<std::chrono::seconds>(now - *created).count());
  if (seconds < 120)
    return std::to_string(seconds) + "s";
  if (seconds < 2 * 3600)
    return std::to_string(seconds / 60) + "m";
  if (seconds < 2 * 86400)
    return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

pb::NodeUsage UsageOf(const NodeUsageSample& sample, int64_t allocatable_cpu_millicores,
                      int64_t allocatable_memory_bytes) {
  pb::NodeUsage usage;
  usage.set_cpu_millicores(sample.cpu_millicores);
  usage.set_memory_bytes(sample.memory_bytes);
  usage.set_cpu_percent(Percent(sample.cpu_millicores, allocatable_cpu_millicores));
  usage.set_memory_percent(Percent(sample.memory_bytes, allocatable_memory_bytes));
  usage.set_sampled_at(sample.timestamp);
  usage.set_cpu(CoresText(sample.cpu_millicores));
  usage.set_memory(BytesText(sample.memory_bytes));
  return usage;
}

pb::Node BuildNode(const json& node, const NodeLoad& load, const NodeUsageSample* usage) {
  const json& meta = Child(node, "metadata");
  const json& spec = Child(node, "spec");
  const json& status = Child(node, "status");
  const json& labels = ObjectAt(meta, "labels");
  pb::Node view;
  view.set_name(StringAt(meta, "name"));
  view.set_created_at(StringAt(meta, "creationTimestamp"));
  CopyStringMap(labels, view.mutable_labels());
  for (const auto& [key, value] : labels.items()) {
    constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
    if (key.size() > kRolePrefix.size() && key.rfind(kRolePrefix, 0) == 0)
      view.add_roles(key.substr(kRolePrefix.size()));
  }
  for (const json& taint : ArrayAt(spec, "taints")) {
    pb::Taint* out = view.add_taints();
    out->set_key(StringAt(taint, "key"));
    out->set_value(StringAt(taint, "value"));
    out->set_effect(StringAt(taint, "effect"));
  }
  for (const json& condition : ArrayAt(status, "conditions")) {
    pb::NodeCondition* out = view.add_conditions();
    out->set_type(StringAt(condition, "type"));
    out->set_status(StringAt(condition, "status"));
    out->set_reason(StringAt(condition, "reason"));
    out->set_message(StringAt(condition, "message"));
    out->set_last_transition_time(StringAt(condition, "lastTransitionTime"));
    if (out->type() == "Ready")
      view.set_status(out->status() == "True"    ? "Ready"
                      : out->status() == "False" ? "NotReady"
                                                 : "Unknown");
  }
  if (view.status().empty())
    view.set_status("Unknown");
  view.set_schedulable(Child(spec, "unschedulable") != true);
  // Kubernetes' node lifecycle controller marks a cordoned node with this taint; clusters without
  // that controller show it too, since the web UI reads schedulability from the taints.
  constexpr std::string_view kUnschedulableTaint = "node.kubernetes.io/unschedulable";
  if (!view.schedulable() &&
      std::none_of(view.taints().begin(), view.taints().end(),
                   [&](const pb::Taint& taint) { return taint.key() == kUnschedulableTaint; })) {
    pb::Taint* taint = view.add_taints();
    taint->set_key(std::string(kUnschedulableTaint));
    taint->set_effect("NoSchedule");
  }
  CopyStringMap(ObjectAt(status, "capacity"), view.mutable_capacity());
  CopyStringMap(ObjectAt(status, "allocatable"), view.mutable_allocatable());
  if (usage != nullptr) {
    const json& allocatable = Child(status, "allocatable");
    *view.mutable_usage() = UsageOf(*usage, kube::MilliValue(StringAt(allocatable, "cpu")),
                                    kube::Value(StringAt(allocatable, "memory")));
  }
  view.set_pods(load.pods);
  view.set_cpu_requested_millicores(load.cpu_millicores);
  view.set_memory_requested_bytes(load.memory_bytes);
  *view.mutable_gpu() = GpuOf(node, load.gpus);
  SetCloud(node, &view);
  const json& info = Child(status, "nodeInfo");
  pb::NodeInfo* out = view.mutable_info();
  out->set_kubelet_version(StringAt(info, "kubeletVersion"));
  out->set_kube_proxy_version(StringAt(info, "kubeProxyVersion"));
  out->set_os_image(StringAt(info, "osImage"));
  out->set_operating_system(StringAt(info, "operatingSystem"));
  out->set_architecture(StringAt(info, "architecture"));
  out->set_kernel_version(StringAt(info, "kernelVersion"));
  out->set_container_runtime(StringAt(info, "containerRuntimeVersion"));
  for (const json& address : ArrayAt(status, "addresses"))
    (*view.mutable_addresses())[StringAt(address, "type")] = StringAt(address, "address");
  return view;
}

}  // namespace ss::nodes
