#include "pod_summary.h"

#include <algorithm>

#include "quantity.h"

namespace ss::nodes {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& Child(const json& object, const char* key) {
  static const json kEmpty = json::object();
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

struct Requests {
  int64_t cpu = 0;
  int64_t memory = 0;
  int64_t gpus = 0;
};

Requests ContainerRequests(const json& container) {
  const json& requests = Child(Child(container, "resources"), "requests");
  const json& limits = Child(Child(container, "resources"), "limits");
  // Extended resources like GPUs may be given as limits only (requests default to them).
  const auto gpu = [&](const char* name) {
    const std::string request = StringAt(requests, name);
    return Units(request.empty() ? StringAt(limits, name) : request);
  };
  return {Millicores(StringAt(requests, "cpu")), Units(StringAt(requests, "memory")),
          gpu("nvidia.com/gpu") + gpu("amd.com/gpu")};
}

}  // namespace

PodSummary SummarizePod(const json& pod) {
  PodSummary summary;
  const json& meta = Child(pod, "metadata");
  const json& spec = Child(pod, "spec");
  summary.ns = StringAt(meta, "namespace");
  summary.name = StringAt(meta, "name");
  summary.uid = StringAt(meta, "uid");
  summary.node = StringAt(spec, "nodeName");
  summary.phase = StringAt(Child(pod, "status"), "phase");
  summary.deleting = meta.contains("deletionTimestamp") && !meta["deletionTimestamp"].is_null();
  const json& labels = Child(meta, "labels");
  summary.user_id = StringAt(labels, kUserIdLabel);
  summary.session = StringAt(labels, kSessionLabel);
  summary.mirror = Child(meta, "annotations").contains(kMirrorAnnotation);
  if (const auto owners = meta.find("ownerReferences");
      owners != meta.end() && owners->is_array()) {
    for (const json& owner : *owners) {
      if (owner.value("controller", false)) {
        summary.owner_kind = StringAt(owner, "kind");
        summary.owner_name = StringAt(owner, "name");
        break;
      }
    }
  }
  if (const auto volumes = spec.find("volumes"); volumes != spec.end() && volumes->is_array()) {
    summary.empty_dir = std::any_of(volumes->begin(), volumes->end(),
                                    [](const json& v) { return v.contains("emptyDir"); });
  }
  Requests total;
  if (const auto containers = spec.find("containers"); containers != spec.end()) {
    for (const json& container : *containers) {
      const Requests r = ContainerRequests(container);
      total.cpu += r.cpu;
      total.memory += r.memory;
      total.gpus += r.gpus;
    }
  }
  if (const auto inits = spec.find("initContainers"); inits != spec.end() && inits->is_array()) {
    for (const json& container : *inits) {
      const Requests r = ContainerRequests(container);
      total.cpu = std::max(total.cpu, r.cpu);
      total.memory = std::max(total.memory, r.memory);
      total.gpus = std::max(total.gpus, r.gpus);
    }
  }
  summary.cpu_millicores = total.cpu;
  summary.memory_bytes = total.memory;
  summary.gpus = total.gpus;
  return summary;
}

}  // namespace ss::nodes
