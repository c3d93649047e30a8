// The service's view of the cluster, kept current by watches (Nodes, Pods in every namespace,
// Session CRs) and a metrics.k8s.io poll. Changes mark nodes dirty; a publisher thread rebuilds
// their API views and the statistics and publishes an immutable Snapshot, so that a request only
// reads (and pages) what was computed when the cluster changed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config.h"
#include "kube/client.h"
#include "kube/watcher.h"
#include "node_view.h"
#include "pod_summary.h"

namespace ss::nodes {

inline const kube::ResourceRef kNodeMetrics{"metrics.k8s.io", "v1beta1", "nodes", false};

struct Snapshot {
  std::vector<std::shared_ptr<const pb::Node>> nodes;  // sorted by name
  std::unordered_map<std::string, size_t> index;       // name -> position in `nodes`
  pb::NodeStats stats;
  // Session resources by spec.state (running, hibernated, terminated).
  std::map<std::string, int32_t> sessions_by_state;

  const pb::Node* Find(const std::string& name) const;
};

struct CacheOptions {
  std::string session_namespace = "streamspace";
  std::chrono::milliseconds metrics_poll_interval{5000};
  // How long changes are gathered before one rebuild.
  std::chrono::milliseconds publish_delay{50};
};

// METRICS_POLL_INTERVAL; the options from it and NAMESPACE (kube::ClusterVariables).
std::vector<core::Variable> CacheVariables();
CacheOptions CacheOptionsFrom(const core::Config& config);

class ClusterCache {
 public:
  ClusterCache(kube::Client& client, CacheOptions options);
  ~ClusterCache();
  ClusterCache(const ClusterCache&) = delete;
  ClusterCache& operator=(const ClusterCache&) = delete;

  void Start();
  void Stop();
  // Nodes and pods have been listed once and published.
  bool synced() const { return synced_; }
  bool WaitSynced(std::chrono::milliseconds timeout) const;

  std::shared_ptr<const Snapshot> snapshot() const;
  std::optional<PodSummary> FindPod(const std::string& ns, const std::string& name) const;

  // A Node object this service just wrote: stored and published at once (read-your-writes),
  // returned as its view.
  pb::Node ApplyWrittenNode(const nlohmann::json& node);

 private:
  // List-then-watch bookkeeping shared by the three watches: objects not seen again during a
  // re-list are removed when it completes.
  class Mirror : public kube::WatchHandler {
   public:
    Mirror(ClusterCache& cache, const char* what) : cache_(cache), what_(what) {}
    void OnListStart() override;
    void OnEvent(kube::WatchEventType type, const nlohmann::json& object) override;
    void OnSynced() override;
    void OnError(const kube::Error& error) override;
    bool synced() const { return synced_; }

   protected:
    virtual std::string Key(const nlohmann::json& object) const = 0;
    // Called with the cache's state mutex held.
    virtual void Upsert(const std::string& key, const nlohmann::json& object) = 0;
    virtual void Remove(const std::string& key) = 0;
    virtual std::vector<std::string> Keys() const = 0;
    ClusterCache& cache_;

   private:
    const char* what_;
    bool listing_ = false;
    std::set<std::string> seen_;
    std::atomic<bool> synced_{false};
  };
  class NodeMirror;
  class PodMirror;
  class SessionMirror;

  void UpsertNode(const nlohmann::json& node);
  void RemoveNode(const std::string& name);
  void UpsertPod(const std::string& key, PodSummary pod);
  void RemovePod(const std::string& key);
  void AddLoad(const PodSummary& pod, int sign);
  void MarkDirty(const std::string& node);
  void PollMetrics();
  void PublishLoop();
  // Rebuilds the dirty views and publishes; the caller holds state_mutex_.
  void PublishLocked();

  kube::Client& client_;
  const CacheOptions options_;

  mutable std::mutex state_mutex_;
  std::map<std::string, nlohmann::json> nodes_;
  std::unordered_map<std::string, PodSummary> pods_;  // "ns/name"
  std::unordered_map<std::string, NodeLoad> loads_;   // node name
  std::unordered_map<std::string, NodeUsageSample> usage_;
  std::unordered_map<std::string, std::string> sessions_;  // "ns/name" -> spec.state
  std::map<std::string, std::shared_ptr<const pb::Node>> views_;
  std::set<std::string> dirty_nodes_;
  bool dirty_ = true;
  std::condition_variable changed_;       // wakes the publisher
  std::condition_variable metrics_wake_;  // ends the metrics poll's sleep on Stop()

  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::atomic<bool> synced_{false};
  mutable std::condition_variable synced_cv_;

  std::unique_ptr<NodeMirror> node_mirror_;
  std::unique_ptr<PodMirror> pod_mirror_;
  std::unique_ptr<SessionMirror> session_mirror_;
  std::unique_ptr<kube::Watcher> node_watcher_;
  std::unique_ptr<kube::Watcher> pod_watcher_;
  std::unique_ptr<kube::Watcher> session_watcher_;
  kube::Cancellation metrics_cancel_;
  std::atomic<bool> stopping_{false};
  std::thread metrics_thread_;
  std::thread publish_thread_;
};

}  // namespace ss::nodes
