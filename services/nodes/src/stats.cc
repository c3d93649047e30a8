#include "stats.h"

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

}  // namespace

pb::NodeStats ComputeStats(const std::vector<std::shared_ptr<const pb::Node>>& nodes) {
  pb::NodeStats stats;
  pb::ResourceTotals& cpu = *stats.mutable_cpu();
  pb::ResourceTotals& memory = *stats.mutable_memory();
  pb::ResourceTotals& pods = *stats.mutable_pods();
  pb::ResourceTotals& gpus = *stats.mutable_gpus();
  for (const auto& node : nodes) {
    stats.set_nodes(stats.nodes() + 1);
    if (node->ready())
      stats.set_ready(stats.ready() + 1);
    else
      stats.set_not_ready(stats.not_ready() + 1);
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
    pods.set_requested(pods.requested() + node->pod_count());
    pods.set_used(pods.used() + node->pod_count());
    gpus.set_capacity(gpus.capacity() + node->gpu().count());
    gpus.set_allocatable(gpus.allocatable() + node->gpu().allocatable());
    gpus.set_requested(gpus.requested() + node->gpu().requested());
  }
  for (pb::ResourceTotals* totals : {&cpu, &memory, &pods, &gpus})
    FinishPercents(totals);
  return stats;
}

}  // namespace ss::nodes
