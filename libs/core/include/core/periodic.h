// A background poll: runs a function on a thread of its own at Start and then every interval,
// until Stop (or the destructor). Stop wakes the wait, so it returns as soon as a running tick
// ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ss::core {

class Periodic {
 public:
  // `tick` must not throw.
  Periodic(std::chrono::milliseconds interval, std::function<void()> tick);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void Start();
  void Stop();

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ss::core
