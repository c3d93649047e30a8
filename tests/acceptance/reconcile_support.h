// Helpers of the reconciler's acceptance tests: a platform whose session service elects its
// reconciler on short Lease timings, and checks of a session's Kubernetes objects and status.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kube/client.h"
#include "kube/watcher.h"
#include "platform_stack.h"

namespace ss::test {

// Session replicas (and a tracker) with a 3 s Lease, the emulator starting pods after 1.5 s so
// that Pending shows; `env` is added to the session service's environment.
PlatformOptions ReconcilePlatform(int session_replicas = 1, const Environment& env = {});

// The Session's status as the API server has it (null when it has none or the session is gone).
nlohmann::json SessionStatus(kube::Client& client, const std::string& id);
// Polls until status.phase is `phase` (generous timeout: a loaded machine).
bool WaitForPhase(kube::Client& client, const std::string& id, const std::string& phase);
// The condition of that type in a status (null when absent).
nlohmann::json FindCondition(const nlohmann::json& status, const std::string& type);

// `kubectl get <kind> <name> -o json` in streamspace; null when it does not exist.
nlohmann::json KubectlGet(PlatformStack& stack, const std::string& kind, const std::string& name);

// Requires, through kubectl, exactly one Deployment, Service and Ingress labelled with the
// session, each named after it with a controller ownerReference to the Session's uid, and the
// home claim without ownerReferences when `home`.
void RequireSessionObjects(PlatformStack& stack, const std::string& id, const std::string& user,
                           bool home);

// The identity the reconciler of session replica `index` holds the Lease with.
std::string ReplicaIdentity(PlatformStack& stack, int index);
// The holder of the Lease session-reconciler ("" when none).
std::string LeaseHolder(kube::Client& client);

// Every status.phase each Session goes through, as a watch on the namespace sees it (start it
// before creating the session, so that no phase is missed).
class PhaseRecorder final : public kube::WatchHandler {
 public:
  // Returns once the watch has listed the namespace.
  explicit PhaseRecorder(kube::Client& client);
  ~PhaseRecorder() override;
  void OnEvent(kube::WatchEventType type, const nlohmann::json& object) override;
  void OnSynced() override;
  // The phases of session `id` in order, consecutive repeats folded, once the watch has seen
  // `last` (the watch may lag a read that already shows it), or after a timeout.
  std::vector<std::string> Phases(const std::string& id, const std::string& last);

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> phases_;
  bool synced_ = false;
  kube::Watcher watcher_;
};

}  // namespace ss::test
