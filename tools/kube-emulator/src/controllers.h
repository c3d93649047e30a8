// The simulated control plane: controllers, scheduler and kubelet that act on the store.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "cluster.h"

namespace kubeemu {

// Deployment -> ReplicaSet -> Pod, DaemonSet -> one Pod per node, StatefulSet -> ordinal Pods
// and their claims. Caller holds the lock.
void ReconcileWorkloads(Cluster& cluster);

// Binds unscheduled pods to schedulable nodes. Caller holds the lock.
void SchedulePods(Cluster& cluster);

// Deletes dependents whose owners are gone, finishes foreground deletions and empties
// terminating namespaces. Caller holds the lock.
void CollectGarbage(Cluster& cluster);

// The kubelets of every node: start pods, fail bad images, write log lines.
class Kubelet {
 public:
  explicit Kubelet(Cluster& cluster) : cluster_(cluster) {}
  // One pass over every pod, skipped while nothing changed and nothing is due (a large idle
  // cluster then costs nothing between log lines). Caller holds the lock.
  void Sync();

 private:
  using Clock = std::chrono::steady_clock;
  void Start(const Json& pod);
  void FailImagePull(const Json& pod, const std::string& image);
  // Writes the pod's next log lines when due; returns when the following ones are due.
  Clock::time_point WriteLogs(const Json& pod);

  Cluster& cluster_;
  std::uint64_t synced_version_ = 0;
  Clock::time_point next_due_{};
  std::map<std::string, std::chrono::steady_clock::time_point> first_seen_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_log_;
  std::map<std::string, std::uint64_t> log_count_;
};

// Runs every controller on a background thread until stopped; saves state periodically.
class ControlLoop {
 public:
  explicit ControlLoop(Cluster& cluster) : cluster_(cluster), kubelet_(cluster) {}
  ~ControlLoop() { Stop(); }
  void Start();
  void Stop();

 private:
  void Run();
  void Save();

  Cluster& cluster_;
  Kubelet kubelet_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The image naming convention for failures: an image whose name contains this never pulls.
inline constexpr const char* kInvalidImageMarker = "invalid-image";

}  // namespace kubeemu
