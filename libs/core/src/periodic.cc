#include "core/periodic.h"

namespace ss::core {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> tick)
    : interval_(interval), tick_(std::move(tick)) {}

Periodic::~Periodic() {
  Stop();
}

void Periodic::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Periodic::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void Periodic::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick_();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace ss::core
