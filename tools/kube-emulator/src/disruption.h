// PodDisruptionBudgets: their status, and whether an eviction may proceed.
#pragma once

#include <optional>

#include "cluster.h"
#include "status.h"

namespace kubeemu {

// True when a pod is Running with its Ready condition True.
bool PodReady(const Json& pod);

// The status a disruption controller would write for a budget, from the pods it selects.
Json ComputeBudgetStatus(Cluster& cluster, const Json& budget);

// Refreshes every budget's status. The caller holds the cluster lock.
void UpdateBudgets(Cluster& cluster);

// The budgets that select a pod. The caller holds the cluster lock.
std::vector<Json> BudgetsFor(Cluster& cluster, const Json& pod);

}  // namespace kubeemu
