#include "subscription.h"

namespace ss::session {

bool Subscription::Push(streamspace::session::v1::SessionEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (overflowed_)
      return false;
    if (queue_.size() >= limit_) {
      overflowed_ = true;
      queue_.clear();
    } else {
      queue_.push_back(std::move(event));
    }
  }
  ready_.notify_one();
  return true;
}

bool Subscription::Pop(streamspace::session::v1::SessionEvent* event,
                       std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!ready_.wait_for(lock, timeout, [this] { return overflowed_ || !queue_.empty(); }) ||
      overflowed_) {
    return false;
  }
  *event = std::move(queue_.front());
  queue_.pop_front();
  return true;
}

bool Subscription::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

}  // namespace ss::session
