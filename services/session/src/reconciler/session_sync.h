// One reconcile of one session: read the Session and its Template, make its objects what they
// should be (create what is missing, correct what drifted, delete what a terminated session no
// longer needs), then write its status if it changed. Idempotent: running it again, or after a
// crash at any point, converges to the same objects, never to duplicates (names are the
// session's).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kube/client.h"
#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

class SessionSync {
 public:
  struct Options {
    std::string ns;
    // Tests only: a pause after each write.
    std::chrono::milliseconds step_delay{0};
  };

  // `interrupted` is asked between steps: once it answers true (leadership lost, stopping) the
  // reconcile ends with a Cancelled error, leaving the rest to the next leader.
  SessionSync(kube::Client& client, Options options, std::function<bool()> interrupted);

  // Reconciles the session `name`. On success: when to look again although nothing changes (a
  // startup deadline), or nullopt.
  kube::Result<std::optional<std::chrono::milliseconds>> Run(
      const std::string& name, const streamspace::session::v1::PlatformConfig& config);

 private:
  // Creates `desired` if missing, corrects it if drifted; an object of an earlier Session of the
  // same name is deleted first (and the reconcile retried).
  kube::Result<void> Ensure(const kube::ResourceRef& ref, const nlohmann::json& desired,
                            const nlohmann::json& session);
  // Creates the user's home claim if missing; never changes or deletes it.
  kube::Result<void> EnsureClaim(const nlohmann::json& claim);
  // Deletes the session's object of kind `ref`, if there is one and the session owns it.
  kube::Result<void> Remove(const kube::ResourceRef& ref, const nlohmann::json& session);
  kube::Result<std::vector<nlohmann::json>> Pods(const std::string& name);
  kube::Result<std::vector<nlohmann::json>> Events(const std::vector<nlohmann::json>& pods);
  // After each write: the test pause, then the interruption check.
  kube::Result<void> Step();

  kube::Client& client_;
  const Options options_;
  const std::function<bool()> interrupted_;
};

}  // namespace ss::session
