// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the
// holder renews `spec.renewTime` every `retry_period`; another candidate takes the Lease over
// when the holder has not renewed it for `lease_duration`. Writes are replaces with the
// resourceVersion read, so two candidates never both win. Stopping gives the Lease up at once
// (holderIdentity cleared), so a successor need not wait for it to expire.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "kube/client.h"

namespace ss::kube {

struct LeaderElectionOptions {
  std::string ns;
  // The Lease's name, e.g. "session-reconciler".
  std::string name;
  // This candidate (host name and pid by default when empty).
  std::string identity;
  std::chrono::milliseconds lease_duration{15000};
  // A leader that cannot renew within this stops leading (before anyone else may take over).
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
};

// Runs the election on its own thread from Start() until Stop() or destruction. The callbacks run
// on that thread and must return quickly (start or stop work elsewhere); workers may also poll
// leading().
class LeaderElector {
 public:
  struct Callbacks {
    std::function<void()> started_leading;
    std::function<void()> stopped_leading;
  };

  // `client` must outlive the elector.
  LeaderElector(Client& client, LeaderElectionOptions options, Callbacks callbacks = {});
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  void Start();
  // Stops campaigning; a leader calls stopped_leading and releases the Lease.
  void Stop();
  bool leading() const { return leading_.load(); }
  const std::string& identity() const { return options_.identity; }

 private:
  enum class Attempt { kHeld, kHeldByOther, kError };

  void Run();
  // One acquire-or-renew attempt.
  Attempt TryAcquireOrRenew();
  // Remembers when the Lease's spec last changed, by our clock.
  void Observe(const nlohmann::json& spec);
  bool Expired(const nlohmann::json& spec, std::chrono::system_clock::time_point now) const;
  void Release();
  // Waits `period`; false when Stop() came first.
  bool Wait(std::chrono::milliseconds period);

  Client& client_;
  LeaderElectionOptions options_;
  Callbacks callbacks_;
  std::atomic<bool> leading_{false};
  std::string observed_record_;
  std::chrono::steady_clock::time_point observed_at_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ss::kube
