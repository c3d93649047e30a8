#include "follow_limiter.h"

namespace ss::nodes {

FollowLimiter::Slot::Slot(Slot&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)), user_(std::move(other.user_)) {}

FollowLimiter::Slot& FollowLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    user_ = std::move(other.user_);
  }
  return *this;
}

FollowLimiter::Slot::~Slot() {
  Release();
}

void FollowLimiter::Slot::Release() {
  if (limiter_ != nullptr)
    std::exchange(limiter_, nullptr)->Release(user_);
}

grpc::Status FollowLimiter::Acquire(const std::string& user, Slot* slot) {
  std::lock_guard lock(mutex_);
  int& mine = by_user_[user];
  if (mine >= per_user_) {
    if (mine == 0)
      by_user_.erase(user);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "at most " + std::to_string(per_user_) + " " + what_ +
                            " may be open at once per user; close one first");
  }
  if (open_ >= total_) {
    if (mine == 0)
      by_user_.erase(user);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the service holds " + std::to_string(total_) + " " + what_ +
                            " already, its limit; try again later");
  }
  ++mine;
  ++open_;
  *slot = Slot(this, user);
  return grpc::Status::OK;
}

int FollowLimiter::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

void FollowLimiter::Release(const std::string& user) {
  std::lock_guard lock(mutex_);
  if (const auto found = by_user_.find(user); found != by_user_.end() && --found->second <= 0)
    by_user_.erase(found);
  --open_;
}

}  // namespace ss::nodes
