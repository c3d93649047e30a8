#include "pod_summary.h"

#include <algorithm>

#include "kube/json_read.h"
#include "kube/quantity.h"

namespace ss::nodes {
namespace {

using kube::ArrayAt;
using kube::Child;
using kube::ObjectAt;
using kube::StringAt;
using nlohmann::json;

struct Requests {
  int64_t cpu = 0;
  int64_t memory = 0;
  int64_t gpus = 0;
};

Requests ContainerRequests(const json& container) {
  const json& requests = ObjectAt(ObjectAt(container, "resources"), "requests");
  const json& limits = ObjectAt(ObjectAt(container, "resources"), "limits");
  // Extended resources like GPUs may be given as limits only (requests default to them).
  const auto gpu = [&](const char* name) {
    const std::string request = StringAt(requests, name);
    return kube::Value(request.empty() ? StringAt(limits, name) : request);
  };
  return {kube::MilliValue(StringAt(requests, "cpu")), kube::Value(StringAt(requests, "memory")),
          gpu("nvidia.com/gpu") + gpu("amd.com/gpu")};
}

}  // namespace

PodSummary SummarizePod(const json& pod) {
  PodSummary summary;
  const json& meta = ObjectAt(pod, "metadata");
  const json& spec = ObjectAt(pod, "spec");
  summary.ns = StringAt(meta, "namespace");
  summary.name = StringAt(meta, "name");
  summary.uid = StringAt(meta, "uid");
  summary.node = StringAt(spec, "nodeName");
  summary.phase = StringAt(Child(pod, "status"), "phase");
  summary.deleting = !Child(meta, "deletionTimestamp").is_null();
  const json& labels = ObjectAt(meta, "labels");
  summary.user_id = StringAt(labels, kUserIdLabel);
  summary.session = StringAt(labels, kSessionLabel);
  summary.mirror = ObjectAt(meta, "annotations").contains(kMirrorAnnotation);
  for (const json& owner : ArrayAt(meta, "ownerReferences")) {
    if (Child(owner, "controller") == true) {
      summary.owner_kind = StringAt(owner, "kind");
      summary.owner_name = StringAt(owner, "name");
      break;
    }
  }
  const json& volumes = ArrayAt(spec, "volumes");
  summary.empty_dir = std::any_of(volumes.begin(), volumes.end(),
                                  [](const json& v) { return v.contains("emptyDir"); });
  Requests total;
  for (const json& container : ArrayAt(spec, "containers")) {
    const Requests r = ContainerRequests(container);
    total.cpu += r.cpu;
    total.memory += r.memory;
    total.gpus += r.gpus;
  }
  for (const json& container : ArrayAt(spec, "initContainers")) {
    const Requests r = ContainerRequests(container);
    total.cpu = std::max(total.cpu, r.cpu);
    total.memory = std::max(total.memory, r.memory);
    total.gpus = std::max(total.gpus, r.gpus);
  }
  summary.cpu_millicores = total.cpu;
  summary.memory_bytes = total.memory;
  summary.gpus = total.gpus;
  return summary;
}

}  // namespace ss::nodes
