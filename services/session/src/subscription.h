// A bounded queue of session events for one WatchSessions stream. The cache pushes; the stream's
// handler thread pops. A subscriber that falls more than `limit` events behind is marked
// overflowed and receives nothing more: its stream ends instead of buffering without bound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

class Subscription {
 public:
  // `user` empty: every session; otherwise only that user's.
  Subscription(std::string user, std::size_t limit) : user_(std::move(user)), limit_(limit) {}

  bool Wants(const streamspace::session::v1::Session& session) const {
    return user_.empty() || session.user() == user_;
  }

  // False once the queue has overflowed.
  bool Push(streamspace::session::v1::SessionEvent event);
  // Waits up to `timeout` for an event; false when none came (or the queue overflowed).
  bool Pop(streamspace::session::v1::SessionEvent* event, std::chrono::milliseconds timeout);
  bool overflowed() const;

 private:
  const std::string user_;
  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<streamspace::session::v1::SessionEvent> queue_;
  bool overflowed_ = false;
};

}  // namespace ss::session
