// Answers computed from a published Snapshot: a page of nodes and a cluster metrics tick.
#pragma once

#include <grpcpp/grpcpp.h>

#include "cluster_cache.h"

namespace ss::nodes {

// Nodes by name after the page token's name, filtered by the label selector.
grpc::Status ListNodesPage(const Snapshot& snapshot, const pb::ListNodesRequest& request,
                           pb::ListNodesResponse* response);

pb::ClusterMetrics BuildClusterMetrics(const Snapshot& snapshot);

}  // namespace ss::nodes
