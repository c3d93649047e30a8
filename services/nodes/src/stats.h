// Totals and percentages over the nodes, computed when the caches change (not per request).
#pragma once

#include <memory>
#include <vector>

#include "node_view.h"

namespace ss::nodes {

pb::NodeStats ComputeStats(const std::vector<std::shared_ptr<const pb::Node>>& nodes);

}  // namespace ss::nodes
