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
  while (!stop_) {
    {
      std::lock_guard lock(cluster_.mutex);
      try {
        ReconcileWorkloads(cluster_);
        SchedulePods(cluster_);
        kubelet_.Sync();
        UpdateBudgets(cluster_);
        CollectGarbage(cluster_);
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
