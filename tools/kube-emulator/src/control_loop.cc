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
  std::lock_guard lock(cluster_.mutex);
  cluster_.SaveIfChanged();
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
      if (std::chrono::steady_clock::now() >= next_save) {
        try {
          cluster_.SaveIfChanged();
        } catch (const std::exception& e) {
          spdlog::error("saving state failed: {}", e.what());
        }
        next_save = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace kubeemu
