#include "session_cache.h"

namespace ss::bench {
namespace {

SessionState StateOf(const std::string& state) {
  if (state == "running")
    return SessionState::kRunning;
  if (state == "hibernated")
    return SessionState::kHibernated;
  if (state == "terminated")
    return SessionState::kTerminated;
  return SessionState::kUnknown;
}

SessionEntry EntryOf(const nlohmann::json& object) {
  SessionEntry entry;
  const auto& metadata = object["metadata"];
  const auto& spec = object.contains("spec") ? object["spec"] : nlohmann::json::object();
  entry.user = spec.value("user", "");
  entry.template_name = spec.value("template", "");
  entry.state = StateOf(spec.value("state", ""));
  entry.resource_version = std::stoull(metadata.value("resourceVersion", "0"));
  entry.generation = metadata.value("generation", std::int64_t{0});
  entry.user.shrink_to_fit();
  entry.template_name.shrink_to_fit();
  return entry;
}

}  // namespace

void SessionCache::OnListStart() {
  std::lock_guard lock(mutex_);
  listing_.clear();
  listing_.reserve(sessions_.size());
  listing_now_ = true;
}

void SessionCache::OnEvent(kube::WatchEventType type, const nlohmann::json& object) {
  std::string name = object["metadata"].value("name", "");
  {
    std::lock_guard lock(mutex_);
    if (listing_now_) {
      listing_.insert_or_assign(std::move(name), EntryOf(object));
      return;
    }
    if (type == kube::WatchEventType::kDeleted) {
      sessions_.erase(name);
    } else {
      sessions_.insert_or_assign(std::move(name), EntryOf(object));
    }
  }
  if (observer_) {
    observer_(object);
  }
}

void SessionCache::OnSynced() {
  std::lock_guard lock(mutex_);
  sessions_.swap(listing_);
  listing_ = {};
  listing_now_ = false;
  synced_ = true;
}

std::size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool SessionCache::synced() const {
  std::lock_guard lock(mutex_);
  return synced_;
}

}  // namespace ss::bench
