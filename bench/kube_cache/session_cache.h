// A list-then-watch cache of Sessions kept as compact structs, not JSON trees.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "kube/watcher.h"

namespace ss::bench {

enum class SessionState : std::uint8_t { kUnknown, kRunning, kHibernated, kTerminated };

// What a service needs of a Session to route and account, in ~100 bytes.
struct SessionEntry {
  std::string user;
  std::string template_name;
  std::uint64_t resource_version = 0;
  std::int64_t generation = 0;
  SessionState state = SessionState::kUnknown;
};

class SessionCache final : public kube::WatchHandler {
 public:
  // Called on the watcher's thread for every change after the initial list, with the object
  // (to read a benchmark's timestamp annotation).
  using ChangeObserver = std::function<void(const nlohmann::json& object)>;

  explicit SessionCache(ChangeObserver observer) : observer_(std::move(observer)) {}

  void OnListStart() override;
  void OnEvent(kube::WatchEventType type, const nlohmann::json& object) override;
  void OnSynced() override;

  std::size_t size() const;
  bool synced() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, SessionEntry> sessions_;
  std::unordered_map<std::string, SessionEntry> listing_;
  bool listing_now_ = false;
  bool synced_ = false;
  ChangeObserver observer_;
};

}  // namespace ss::bench
