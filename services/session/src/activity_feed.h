// Keeps this replica's cache current with the activity other replicas recorded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "activity_store.h"
#include "core/config.h"
#include "session_cache.h"

namespace ss::session {

// ACTIVITY_POLL_INTERVAL: how often the feed reads session.activity.
std::vector<core::Variable> ActivityFeedVariables();
std::chrono::milliseconds ActivityPollIntervalFrom(const core::Config& config);

// Applies what other replicas recorded in session.activity to this replica's cache.
class ActivityFeed {
 public:
  ActivityFeed(ActivityStore& store, SessionCache& cache, std::chrono::milliseconds interval);
  ~ActivityFeed();
  void Start();
  void Stop();

 private:
  void Run();

  ActivityStore& store_;
  SessionCache& cache_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ss::session
