#include "stats.h"

#include <algorithm>

#include "kube/quantity.h"

namespace ss::nodes {
namespace {

std::string_view Quantity(const google::protobuf::Map<std::string, std::string>& map,
                          const std::string& key) {
  const auto it = map.find(key);
  return it == map.end() ? std::string_view() : std::string_view(it->second);
}

void FinishPercents(pb::ResourceTotals* totals) {
  totals->set_requested_percent(Percent(totals->requested(), totals->allocatable()));
  totals->set_used_percent(Percent(totals->used(), totals->allocatable()));
}

void SetSummary(int64_t millicores, int64_t bytes, int64_t pods, pb::ResourceSummary* summary) {
  summary->set_cpu(CoresText(millicores));
  summary->set_memory(BytesText(bytes));
  summary->set_pods(static_cast<int32_t>(pods));
}

}  // namespace

pb::NodeStats ComputeStats(const std::vector<std::shared_ptr<const pb::Node>>& nodes) {
  pb::NodeStats stats;
  pb::ResourceTotals& cpu = *stats.mutable_cpu();
  pb::ResourceTotals& memory = *stats.mutable_memory();
  pb::ResourceTotals& pods = *stats.mutable_pods();
  pb::ResourceTotals& gpus = *stats.mutable_gpus();
  // Usage over the sampled nodes only, as a share of their own allocatable.
  NodeUsageSample sampled;
  int64_t sampled_cpu_allocatable = 0;
  int64_t sampled_memory_allocatable = 0;
  bool any_sample = false;
  for (const auto& node : nodes) {
    stats.set_total_nodes(stats.total_nodes() + 1);
    if (node->status() == "Ready")
      stats.set_ready_nodes(stats.ready_nodes() + 1);
    else
      stats.set_not_ready_nodes(stats.not_ready_nodes() + 1);
    if (node->schedulable())
      stats.set_schedulable(stats.schedulable() + 1);
    else
      stats.set_cordoned(stats.cordoned() + 1);
    if (node->gpu().count() > 0)
      stats.set_gpu_nodes(stats.gpu_nodes() + 1);
    cpu.set_capacity(cpu.capacity() + kube::MilliValue(Quantity(node->capacity(), "cpu")));
    cpu.set_allocatable(cpu.allocatable() + kube::MilliValue(Quantity(node->allocatable(), "cpu")));
    cpu.set_requested(cpu.requested() + node->cpu_requested_millicores());
    cpu.set_used(cpu.used() + node->usage().cpu_millicores());
    memory.set_capacity(memory.capacity() + kube::Value(Quantity(node->capacity(), "memory")));
    memory.set_allocatable(memory.allocatable() +
                           kube::Value(Quantity(node->allocatable(), "memory")));
    memory.set_requested(memory.requested() + node->memory_requested_bytes());
    memory.set_used(memory.used() + node->usage().memory_bytes());
    pods.set_capacity(pods.capacity() + kube::Value(Quantity(node->capacity(), "pods")));
    pods.set_allocatable(pods.allocatable() + kube::Value(Quantity(node->allocatable(), "pods")));
    pods.set_requested(pods.requested() + node->pods());
    pods.set_used(pods.used() + node->pods());
    gpus.set_capacity(gpus.capacity() + node->gpu().count());
    gpus.set_allocatable(gpus.allocatable() + node->gpu().allocatable());
    gpus.set_requested(gpus.requested() + node->gpu().requested());
    if (node->has_usage()) {
      any_sample = true;
      sampled.cpu_millicores += node->usage().cpu_millicores();
      sampled.memory_bytes += node->usage().memory_bytes();
      sampled.timestamp = std::max(sampled.timestamp, node->usage().sampled_at());
      sampled_cpu_allocatable += kube::MilliValue(Quantity(node->allocatable(), "cpu"));
      sampled_memory_allocatable += kube::Value(Quantity(node->allocatable(), "memory"));
    }
  }
  for (pb::ResourceTotals* totals : {&cpu, &memory, &pods, &gpus})
    FinishPercents(totals);
  SetSummary(cpu.capacity(), memory.capacity(), pods.capacity(), stats.mutable_total_capacity());
  SetSummary(cpu.allocatable(), memory.allocatable(), pods.allocatable(),
             stats.mutable_total_allocatable());
  if (any_sample) {
    *stats.mutable_total_usage() =
        UsageOf(sampled, sampled_cpu_allocatable, sampled_memory_allocatable);
  }
  return stats;
}

}  // namespace ss::nodes
