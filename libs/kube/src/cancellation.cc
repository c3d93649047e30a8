#include "kube/cancellation.h"

namespace ss::kube {

void Cancellation::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  if (interrupt_) {
    interrupt_();
  }
}

bool Cancellation::IsCancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

Cancellation::Hook::Hook(Cancellation* owner, std::function<void()> interrupt) : owner_(owner) {
  if (owner_ == nullptr) {
    return;
  }
  std::lock_guard lock(owner_->mutex_);
  if (owner_->cancelled_) {
    interrupt();
  }
  owner_->interrupt_ = std::move(interrupt);
}

Cancellation::Hook::~Hook() {
  if (owner_ != nullptr) {
    std::lock_guard lock(owner_->mutex_);
    owner_->interrupt_ = nullptr;
  }
}

}  // namespace ss::kube
