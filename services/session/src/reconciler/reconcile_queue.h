// The reconciler's work queue: session names, each queued at most once, some of them not before
// a given time (retries with backoff, startup deadlines).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace ss::session {

class ReconcileQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // Queues `name` unless it is queued already (an earlier deferred entry is brought forward).
  void Add(const std::string& name);
  // Queues `name` to be handed out after `delay` (unless it is due sooner already).
  void AddAfter(const std::string& name, std::chrono::milliseconds delay);
  // The next due name; nullopt after `timeout` without one.
  std::optional<std::string> Next(std::chrono::milliseconds timeout);
  // Names queued or deferred.
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> ready_;
  std::set<std::string> queued_;
  std::map<std::string, Clock::time_point> deferred_;
};

}  // namespace ss::session
