#include "queries.h"

#include <algorithm>

#include "core/rfc3339.h"
#include "label_selector.h"
#include "rpc/page_token.h"
#include "validation.h"

namespace ss::nodes {

grpc::Status ListNodesPage(const Snapshot& snapshot, const pb::ListNodesRequest& request,
                           pb::ListNodesResponse* response) {
  int page_size = 0;
  if (grpc::Status status = rpc::CheckPageSize(request.page_size(), &page_size); !status.ok())
    return status;
  std::string after;
  if (!DecodePageToken(request.page_token(), &after))
    return rpc::InvalidPageToken();
  std::string error;
  const auto selector = LabelSelector::Parse(request.label_selector(), &error);
  if (!selector)
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error);

  const auto& nodes = snapshot.nodes;
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
      *response->add_nodes() = **it;
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
        *response->add_nodes() = **it;
    }
  }
  response->set_total(total);
  if (more)
    response->set_next_page_token(EncodePageToken(response->nodes().rbegin()->name()));
  return grpc::Status::OK;
}

pb::ClusterMetrics BuildClusterMetrics(const Snapshot& snapshot) {
  pb::ClusterMetrics metrics;
  metrics.set_time(core::FormatRfc3339(std::chrono::system_clock::now()));
  *metrics.mutable_totals() = snapshot.stats;
  for (const auto& node : snapshot.nodes) {
    pb::NodeMetrics* out = metrics.add_nodes();
    out->set_name(node->name());
    out->set_ready(node->ready());
    out->set_schedulable(node->schedulable());
    *out->mutable_usage() = node->usage();
    out->set_pod_count(node->pod_count());
  }
  for (const auto& [phase, count] : snapshot.sessions_by_phase)
    (*metrics.mutable_sessions_by_phase())[phase] = count;
  metrics.set_sessions(snapshot.sessions);
  return metrics;
}

}  // namespace ss::nodes
