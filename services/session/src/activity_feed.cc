#include "activity_feed.h"

#include <spdlog/spdlog.h>

#include "core/log.h"

namespace ss::session {

std::vector<core::Variable> ActivityFeedVariables() {
  return {{"ACTIVITY_POLL_INTERVAL", "2s",
           "How often activity the tracker reported to another replica is read."}};
}

std::chrono::milliseconds ActivityPollIntervalFrom(const core::Config& config) {
  return config.GetDuration("ACTIVITY_POLL_INTERVAL", std::chrono::milliseconds(100));
}

ActivityFeed::ActivityFeed(ActivityStore& store, SessionCache& cache,
                           std::chrono::milliseconds interval)
    : store_(store), cache_(cache), poll_(interval, [this] { Poll(); }) {}

void ActivityFeed::Start() {
  poll_.Start();
}

void ActivityFeed::Stop() {
  poll_.Stop();
}

void ActivityFeed::Poll() {
  try {
    for (const ActivityRow& row : store_.ChangedSince(&seen_)) {
      streamspace::session::v1::Session updated;
      cache_.SetActivity(row.id, row.active_connections, row.last_activity, &updated);
    }
  } catch (const std::exception& e) {
    spdlog::warn("session activity: {}", core::FirstLine(e.what()));
  }
}

}  // namespace ss::session
