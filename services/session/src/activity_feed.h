// Keeps this replica's cache current with the activity other replicas recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "activity_store.h"
#include "core/config.h"
#include "core/periodic.h"
#include "session_cache.h"

namespace ss::session {

// ACTIVITY_POLL_INTERVAL: how often the feed reads session.activity.
std::vector<core::Variable> ActivityFeedVariables();
std::chrono::milliseconds ActivityPollIntervalFrom(const core::Config& config);

// Applies what other replicas recorded in session.activity to this replica's cache.
class ActivityFeed {
 public:
  ActivityFeed(ActivityStore& store, SessionCache& cache, std::chrono::milliseconds interval);
  void Start();
  void Stop();

 private:
  void Poll();

  ActivityStore& store_;
  SessionCache& cache_;
  // The last sequence number read (only the poll's thread touches it).
  int64_t seen_ = 0;
  core::Periodic poll_;
};

}  // namespace ss::session
