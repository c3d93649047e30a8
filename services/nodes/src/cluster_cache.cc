#include "cluster_cache.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/rfc3339.h"
#include "kube/json_read.h"
#include "kube/quantity.h"
#include "stats.h"

namespace ss::nodes {
namespace {

using kube::MetaString;
using nlohmann::json;

std::string NamespacedKey(const json& object) {
  return MetaString(object, "namespace") + "/" + MetaString(object, "name");
}

// resourceVersions are opaque, but every API server (and the emulator) issues increasing
// integers; an older copy than the one held is ignored when both parse.
bool Older(const json& incoming, const json& held) {
  const std::string a = MetaString(incoming, "resourceVersion");
  const std::string b = MetaString(held, "resourceVersion");
  uint64_t x = 0;
  uint64_t y = 0;
  return std::from_chars(a.data(), a.data() + a.size(), x).ec == std::errc() &&
         std::from_chars(b.data(), b.data() + b.size(), y).ec == std::errc() && x < y;
}

// What a node view needs: no managedFields, images or volume lists.
json TrimNode(const json& node) {
  json trimmed = node;
  if (auto meta = trimmed.find("metadata"); meta != trimmed.end())
    meta->erase("managedFields");
  if (auto status = trimmed.find("status"); status != trimmed.end() && status->is_object()) {
    status->erase("images");
    status->erase("volumesInUse");
    status->erase("volumesAttached");
  }
  return trimmed;
}

}  // namespace

const pb::Node* Snapshot::Find(const std::string& name) const {
  const auto it = index.find(name);
  return it == index.end() ? nullptr : nodes[it->second].get();
}

// --- Mirror: list bookkeeping ---

void ClusterCache::Mirror::OnListStart() {
  std::lock_guard lock(cache_.state_mutex_);
  listing_ = true;
  seen_.clear();
}

void ClusterCache::Mirror::OnEvent(kube::WatchEventType type, const json& object) {
  const std::string key = Key(object);
  std::lock_guard lock(cache_.state_mutex_);
  if (type == kube::WatchEventType::kDeleted) {
    Remove(key);
  } else {
    if (listing_)
      seen_.insert(key);
    Upsert(key, object);
  }
  cache_.changed_.notify_one();
}

void ClusterCache::Mirror::OnSynced() {
  {
    std::lock_guard lock(cache_.state_mutex_);
    for (const std::string& key : Keys()) {
      if (!seen_.count(key))
        Remove(key);
    }
    listing_ = false;
    seen_.clear();
    cache_.dirty_ = true;
  }
  synced_ = true;
  spdlog::info("{} cache synced", what_);
  cache_.changed_.notify_one();
}

void ClusterCache::Mirror::OnError(const kube::Error& error) {
  spdlog::warn("{} watch: {}", what_, error.ToString());
}

class ClusterCache::NodeMirror final : public Mirror {
 public:
  explicit NodeMirror(ClusterCache& cache) : Mirror(cache, "nodes") {}

 protected:
  std::string Key(const json& object) const override { return MetaString(object, "name"); }
  void Upsert(const std::string&, const json& object) override { cache_.UpsertNode(object); }
  void Remove(const std::string& key) override { cache_.RemoveNode(key); }
  std::vector<std::string> Keys() const override {
    std::vector<std::string> keys;
    for (const auto& [name, node] : cache_.nodes_)
      keys.push_back(name);
    return keys;
  }
};

class ClusterCache::PodMirror final : public Mirror {
 public:
  explicit PodMirror(ClusterCache& cache) : Mirror(cache, "pods") {}

 protected:
  std::string Key(const json& object) const override { return NamespacedKey(object); }
  void Upsert(const std::string& key, const json& object) override {
    cache_.UpsertPod(key, SummarizePod(object));
  }
  void Remove(const std::string& key) override { cache_.RemovePod(key); }
  std::vector<std::string> Keys() const override {
    std::vector<std::string> keys;
    for (const auto& [key, pod] : cache_.pods_)
      keys.push_back(key);
    return keys;
  }
};

class ClusterCache::SessionMirror final : public Mirror {
 public:
  explicit SessionMirror(ClusterCache& cache) : Mirror(cache, "sessions") {}

 protected:
  std::string Key(const json& object) const override { return NamespacedKey(object); }
  void Upsert(const std::string& key, const json& object) override {
    cache_.sessions_[key] = kube::StringAt(kube::Child(object, "spec"), "state");
    cache_.dirty_ = true;
  }
  void Remove(const std::string& key) override {
    cache_.sessions_.erase(key);
    cache_.dirty_ = true;
  }
  std::vector<std::string> Keys() const override {
    std::vector<std::string> keys;
    for (const auto& [key, state] : cache_.sessions_)
      keys.push_back(key);
    return keys;
  }
};

// --- ClusterCache ---

ClusterCache::ClusterCache(kube::Client& client, CacheOptions options)
    : client_(client),
      options_(std::move(options)),
      snapshot_(std::make_shared<Snapshot>()),
      node_mirror_(std::make_unique<NodeMirror>(*this)),
      pod_mirror_(std::make_unique<PodMirror>(*this)),
      session_mirror_(std::make_unique<SessionMirror>(*this)) {
  node_watcher_ = std::make_unique<kube::Watcher>(client_, kube::resources::kNodes,
                                                  kube::WatcherOptions{}, *node_mirror_);
  kube::WatcherOptions pod_options;
  pod_options.page_size = 2000;
  pod_watcher_ =
      std::make_unique<kube::Watcher>(client_, kube::resources::kPods, pod_options, *pod_mirror_);
  kube::WatcherOptions session_options;
  session_options.ns = options_.session_namespace;
  session_watcher_ = std::make_unique<kube::Watcher>(client_, kube::resources::kSessions,
                                                     session_options, *session_mirror_);
}

std::vector<core::Variable> CacheVariables() {
  return {{"METRICS_POLL_INTERVAL", "5s", "How often node usage is read from metrics.k8s.io."}};
}

CacheOptions CacheOptionsFrom(const core::Config& config) {
  CacheOptions options;
  options.session_namespace = config.Get("NAMESPACE");
  options.metrics_poll_interval =
      config.GetDuration("METRICS_POLL_INTERVAL", std::chrono::milliseconds(200));
  return options;
}

ClusterCache::~ClusterCache() {
  Stop();
}

void ClusterCache::Start() {
  publish_thread_ = std::thread([this] { PublishLoop(); });
  metrics_thread_ = std::thread([this] { PollMetrics(); });
  node_watcher_->Start();
  pod_watcher_->Start();
  session_watcher_->Start();
}

void ClusterCache::Stop() {
  if (stopping_.exchange(true))
    return;
  node_watcher_->Stop();
  pod_watcher_->Stop();
  session_watcher_->Stop();
  metrics_cancel_.Cancel();
  {
    std::lock_guard lock(state_mutex_);
    changed_.notify_all();
    metrics_wake_.notify_all();
  }
  if (metrics_thread_.joinable())
    metrics_thread_.join();
  if (publish_thread_.joinable())
    publish_thread_.join();
}

bool ClusterCache::WaitSynced(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(snapshot_mutex_);
  return synced_cv_.wait_for(lock, timeout, [this] { return synced_.load(); });
}

std::shared_ptr<const Snapshot> ClusterCache::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::optional<PodSummary> ClusterCache::FindPod(const std::string& ns,
                                                const std::string& name) const {
  std::lock_guard lock(state_mutex_);
  const auto it = pods_.find(ns + "/" + name);
  if (it == pods_.end())
    return std::nullopt;
  return it->second;
}

pb::Node ClusterCache::ApplyWrittenNode(const json& node) {
  std::lock_guard lock(state_mutex_);
  UpsertNode(node);
  PublishLocked();
  const std::string name = MetaString(node, "name");
  const auto it = views_.find(name);
  return it == views_.end() ? pb::Node() : *it->second;
}

void ClusterCache::UpsertNode(const json& node) {
  const std::string name = MetaString(node, "name");
  auto it = nodes_.find(name);
  if (it != nodes_.end() && Older(node, it->second))
    return;
  nodes_[name] = TrimNode(node);
  MarkDirty(name);
}

void ClusterCache::RemoveNode(const std::string& name) {
  nodes_.erase(name);
  usage_.erase(name);
  MarkDirty(name);
}

void ClusterCache::AddLoad(const PodSummary& pod, int sign) {
  if (!pod.active())
    return;
  NodeLoad& load = loads_[pod.node];
  load.pods += sign;
  load.cpu_millicores += sign * pod.cpu_millicores;
  load.memory_bytes += sign * pod.memory_bytes;
  load.gpus += sign * pod.gpus;
  MarkDirty(pod.node);
}

void ClusterCache::UpsertPod(const std::string& key, PodSummary pod) {
  auto it = pods_.find(key);
  if (it != pods_.end()) {
    const PodSummary& old = it->second;
    const bool same_load = old.active() == pod.active() && old.node == pod.node &&
                           old.cpu_millicores == pod.cpu_millicores &&
                           old.memory_bytes == pod.memory_bytes && old.gpus == pod.gpus;
    if (!same_load) {
      AddLoad(old, -1);
      AddLoad(pod, +1);
    }
    it->second = std::move(pod);
    return;
  }
  AddLoad(pod, +1);
  pods_.emplace(key, std::move(pod));
}

void ClusterCache::RemovePod(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end())
    return;
  AddLoad(it->second, -1);
  pods_.erase(it);
}

void ClusterCache::MarkDirty(const std::string& node) {
  dirty_nodes_.insert(node);
  dirty_ = true;
}

void ClusterCache::PollMetrics() {
  bool warned = false;
  while (!stopping_) {
    kube::ListOptions list_options;
    list_options.cancellation = &metrics_cancel_;
    auto listed = client_.List(kNodeMetrics, "", list_options);
    if (listed) {
      std::lock_guard lock(state_mutex_);
      for (const json& item : listed->items) {
        const std::string name = MetaString(item, "name");
        const json& usage = kube::Child(item, "usage");
        NodeUsageSample sample{kube::MilliValue(kube::StringAt(usage, "cpu")),
                               kube::Value(kube::StringAt(usage, "memory")),
                               kube::StringAt(item, "timestamp")};
        usage_[name] = std::move(sample);
        if (nodes_.count(name))
          MarkDirty(name);
      }
      changed_.notify_one();
      warned = false;
    } else if (!stopping_ && !warned) {
      spdlog::warn("metrics.k8s.io nodes: {}", listed.error().ToString());
      warned = true;
    }
    std::unique_lock lock(state_mutex_);
    metrics_wake_.wait_for(lock, options_.metrics_poll_interval,
                           [this] { return stopping_.load(); });
  }
}

void ClusterCache::PublishLoop() {
  std::unique_lock lock(state_mutex_);
  while (!stopping_) {
    changed_.wait(lock, [this] { return stopping_ || dirty_; });
    if (stopping_)
      break;
    // Gather a burst of changes (a list, a drain) into one rebuild.
    lock.unlock();
    std::this_thread::sleep_for(options_.publish_delay);
    lock.lock();
    if (node_mirror_->synced() && pod_mirror_->synced())
      PublishLocked();
  }
}

void ClusterCache::PublishLocked() {
  for (const std::string& name : dirty_nodes_) {
    const auto node = nodes_.find(name);
    if (node == nodes_.end()) {
      views_.erase(name);
      continue;
    }
    const auto load = loads_.find(name);
    const auto usage = usage_.find(name);
    views_[name] = std::make_shared<const pb::Node>(
        BuildNode(node->second, load == loads_.end() ? NodeLoad{} : load->second,
                  usage == usage_.end() ? nullptr : &usage->second));
  }
  dirty_nodes_.clear();
  dirty_ = false;
  auto next = std::make_shared<Snapshot>();
  next->nodes.reserve(views_.size());
  for (const auto& [name, view] : views_) {
    next->index.emplace(name, next->nodes.size());
    next->nodes.push_back(view);
  }
  next->stats = ComputeStats(next->nodes);
  next->stats.set_updated_at(core::FormatRfc3339(std::chrono::system_clock::now()));
  for (const auto& [key, state] : sessions_)
    ++next->sessions_by_state[state];
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(next);
    if (node_mirror_->synced() && pod_mirror_->synced())
      synced_ = true;
  }
  synced_cv_.notify_all();
}

}  // namespace ss::nodes
