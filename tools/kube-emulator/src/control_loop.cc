#include <spdlog/spdlog.h>

#include "controllers.h"
#include "disruption.h"

namespace kubeemu {

void ControlLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ControlLoop::Stop() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  Save();
}

void ControlLoop::Save() {
  std::optional<std::string> state;
  {
    std::lock_guard lock(cluster_.mutex);
    state = cluster_.SerializeIfChanged();
  }
  if (!state) {
    return;
  }
  try {
    cluster_.WriteState(*state);
  } catch (const std::exception& e) {
    spdlog::error("saving state failed: {}", e.what());
  }
}

void ControlLoop::Run() {
  auto next_save = std::chrono::steady_clock::now();
  std::uint64_t reconciled = 0;
  while (!stop_) {
    {
      std::lock_guard lock(cluster_.mutex);
      try {
        // The controllers react to changes only; the kubelet also to the clock (start delays,
        // log lines). An idle cluster of many objects then costs next to nothing.
        // A pass that writes runs again on the next tick, until one changes nothing.
        if (cluster_.store().Version() != reconciled) {
          reconciled = cluster_.store().Version();
          ReconcileWorkloads(cluster_);
          SchedulePods(cluster_);
          UpdateBudgets(cluster_);
          CollectGarbage(cluster_);
        }
        kubelet_.Sync();
      } catch (const std::exception& e) {
        spdlog::error("control loop: {}", e.what());
      }
    }
    // The file is written outside the lock so that API calls wait only for serialization.
    if (std::chrono::steady_clock::now() >= next_save) {
      Save();
      next_save = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace kubeemu
