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
    : store_(store), cache_(cache), interval_(interval) {}

ActivityFeed::~ActivityFeed() {
  Stop();
}

void ActivityFeed::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ActivityFeed::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void ActivityFeed::Run() {
  int64_t seen = 0;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      for (const ActivityRow& row : store_.ChangedSince(&seen)) {
        streamspace::session::v1::Session updated;
        cache_.SetActivity(row.id, row.active_connections, row.last_activity, &updated);
      }
    } catch (const std::exception& e) {
      spdlog::warn("session activity: {}", core::FirstLine(e.what()));
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace ss::session
