#include "reconcile_queue.h"

namespace ss::session {

void ReconcileQueue::Add(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    deferred_.erase(name);
    if (!queued_.insert(name).second) {
      return;
    }
    ready_.push_back(name);
  }
  wake_.notify_one();
}

void ReconcileQueue::AddAfter(const std::string& name, std::chrono::milliseconds delay) {
  if (delay <= std::chrono::milliseconds::zero()) {
    Add(name);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (queued_.contains(name)) {
      return;
    }
    const auto due = Clock::now() + delay;
    auto [it, inserted] = deferred_.emplace(name, due);
    if (!inserted && due < it->second) {
      it->second = due;
    }
  }
  wake_.notify_one();
}

std::optional<std::string> ReconcileQueue::Next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const auto now = Clock::now();
    auto earliest = deadline;
    for (auto it = deferred_.begin(); it != deferred_.end();) {
      if (it->second <= now) {
        if (queued_.insert(it->first).second) {
          ready_.push_back(it->first);
        }
        it = deferred_.erase(it);
      } else {
        earliest = std::min(earliest, it->second);
        ++it;
      }
    }
    if (!ready_.empty()) {
      std::string name = std::move(ready_.front());
      ready_.pop_front();
      queued_.erase(name);
      return name;
    }
    if (now >= deadline) {
      return std::nullopt;
    }
    wake_.wait_until(lock, earliest);
  }
}

std::size_t ReconcileQueue::size() const {
  std::lock_guard lock(mutex_);
  return ready_.size() + deferred_.size();
}

}  // namespace ss::session
