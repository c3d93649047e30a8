// The session reconciler: while this replica holds the Lease "session-reconciler", it turns every
// Session into its Deployment, Service, Ingress and home PVC and writes the Session's status from
// what its pods and their events say. Level-triggered: watches on Sessions, on the Deployments,
// Services, Ingresses and Pods labelled with a session, and on pod Events queue session names; a
// periodic resync queues every session again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "kube/client.h"
#include "kube/leader.h"
#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

struct ReconcilerOptions {
  std::string ns;
  // This replica's name in the Lease (host name and pid when empty).
  std::string identity;
  // Every session is reconciled again this often, whatever the watches say.
  std::chrono::milliseconds resync{30000};
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  // Tests only: a pause after each object a reconcile writes, so a test can kill the process
  // between two of them.
  std::chrono::milliseconds step_delay{0};
};

// RECONCILE_RESYNC, LEASE_DURATION, LEASE_RENEW_DEADLINE, LEASE_RETRY_PERIOD, RECONCILE_STEP_DELAY
// and POD_NAME (the Lease identity), for main.cc's variable list and --help.
std::vector<core::Variable> ReconcilerVariables();
// Options from those variables (and `ns`, the service's NAMESPACE).
ReconcilerOptions ReconcilerOptionsFrom(const core::Config& config, std::string ns);

class Reconciler {
 public:
  using PlatformConfigSource = std::function<streamspace::session::v1::PlatformConfig()>;

  // `client` must outlive the reconciler; `platform_config` is asked at every reconcile.
  Reconciler(kube::Client& client, ReconcilerOptions options, PlatformConfigSource platform_config);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // Campaigns for the Lease "session-reconciler" in `ns`; reconciles while leading.
  void Start();
  // Stops reconciling and gives the Lease up; returns once the work has stopped.
  void Stop();
  bool leading() const;

 private:
  class Term;

  void Run();

  kube::Client& client_;
  const ReconcilerOptions options_;
  const PlatformConfigSource platform_config_;
  kube::LeaderElector elector_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool lead_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ss::session
