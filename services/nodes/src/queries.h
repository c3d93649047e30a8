// Answers computed from a published Snapshot: a page of nodes, a node with its age, and the
// dashboard's cluster block.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "cluster_cache.h"

namespace ss::nodes {

// Nodes by name after the page token's name, filtered by the label selector.
grpc::Status ListNodesPage(const Snapshot& snapshot, const pb::ListNodesRequest& request,
                           pb::ListNodesResponse* response);

// The node as stored in the snapshot, with its age at `now`.
pb::Node WithAge(const pb::Node& node, std::chrono::system_clock::time_point now);

// `users` comes from auth; everything else from the snapshot.
pb::ClusterOverview BuildClusterOverview(const Snapshot& snapshot, const pb::UserCounts& users);

}  // namespace ss::nodes
