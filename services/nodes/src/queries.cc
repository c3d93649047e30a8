#include "queries.h"

#include <algorithm>
#include <limits>

#include "label_selector.h"
#include "rpc/page_token.h"
#include "validation.h"

namespace ss::nodes {

grpc::Status ListNodesPage(const Snapshot& snapshot, const pb::ListNodesRequest& request,
                           pb::ListNodesResponse* response) {
  // Unset, every node: REST answers the list as one bare array, with no page token to follow.
  int page_size = std::numeric_limits<int>::max();
  if (request.page_size() != 0) {
    if (grpc::Status status = rpc::CheckPageSize(request.page_size(), &page_size); !status.ok())
      return status;
  }
  std::string after;
  if (!DecodePageToken(request.page_token(), &after))
    return rpc::InvalidPageToken();
  std::string error;
  const auto selector = LabelSelector::Parse(request.label_selector(), &error);
  if (!selector)
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error);

  const auto& nodes = snapshot.nodes;
  const auto now = std::chrono::system_clock::now();
  auto begin = nodes.begin();
  if (!after.empty()) {
    begin = std::upper_bound(
        nodes.begin(), nodes.end(), after,
        [](const std::string& name, const auto& node) { return name < node->name(); });
  }
  int total = 0;
  bool more = false;
  if (selector->empty()) {
    total = static_cast<int>(nodes.size());
    for (auto it = begin; it != nodes.end(); ++it) {
      if (response->nodes_size() == page_size) {
        more = true;
        break;
      }
      *response->add_nodes() = WithAge(**it, now);
    }
  } else {
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
      if (!selector->Matches((*it)->labels()))
        continue;
      ++total;
      if (it < begin)
        continue;
      if (response->nodes_size() == page_size)
        more = true;
      else
        *response->add_nodes() = WithAge(**it, now);
    }
  }
  response->set_total(total);
  if (more)
    response->set_next_page_token(EncodePageToken(response->nodes().rbegin()->name()));
  return grpc::Status::OK;
}

pb::ClusterOverview BuildClusterOverview(const Snapshot& snapshot, const pb::UserCounts& users) {
  const pb::NodeStats& stats = snapshot.stats;
  pb::ClusterOverview overview;
  pb::NodeCounts& nodes = *overview.mutable_nodes();
  nodes.set_total(stats.total_nodes());
  nodes.set_ready(stats.ready_nodes());
  nodes.set_not_ready(stats.not_ready_nodes());

  pb::SessionCounts& sessions = *overview.mutable_sessions();
  for (const auto& [state, count] : snapshot.sessions_by_state) {
    sessions.set_total(sessions.total() + count);
    if (state == "running")
      sessions.set_running(count);
    else if (state == "hibernated")
      sessions.set_hibernated(count);
    else if (state == "terminated")
      sessions.set_terminated(count);
  }

  pb::ClusterResources& resources = *overview.mutable_resources();
  pb::CpuUse& cpu = *resources.mutable_cpu();
  cpu.set_total(CoresText(stats.cpu().allocatable()));
  cpu.set_used(CoresText(stats.cpu().used()));
  cpu.set_percent(stats.cpu().used_percent());
  pb::MemoryUse& memory = *resources.mutable_memory();
  memory.set_total(stats.memory().allocatable());
  memory.set_used(stats.memory().used());
  memory.set_percent(stats.memory().used_percent());
  pb::PodUse& pods = *resources.mutable_pods();
  pods.set_total(static_cast<int32_t>(stats.pods().allocatable()));
  pods.set_used(static_cast<int32_t>(stats.pods().used()));
  pods.set_percent(stats.pods().used_percent());

  *overview.mutable_users() = users;
  return overview;
}

pb::Node WithAge(const pb::Node& node, std::chrono::system_clock::time_point now) {
  pb::Node out = node;
  out.set_age(AgeText(node.created_at(), now));
  return out;
}

}  // namespace ss::nodes
