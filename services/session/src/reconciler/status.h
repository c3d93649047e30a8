// A Session's status from what its pods and their events say (pure functions). The phase comes
// from pods and events only; the one clock is the startup timeout.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ss::session {

// Why a session cannot run, found by the reconciler itself (a missing Template).
struct Failure {
  std::string reason;
  std::string message;
};

struct Observation {
  // spec.state: running, hibernated or terminated.
  std::string state;
  // metadata.creationTimestamp: when a session without conditions was asked to run.
  std::string created;
  // The Session's status as read (null when it has none).
  nlohmann::json status;
  // The session's pods that are not being deleted.
  std::vector<nlohmann::json> pods;
  // The events about those pods.
  std::vector<nlohmann::json> events;
  // Where the session is reached; empty without an Ingress.
  std::string url;
  std::optional<Failure> failure;
  std::chrono::milliseconds startup_timeout{std::chrono::minutes(5)};
  std::chrono::system_clock::time_point now;
};

struct DerivedStatus {
  // The current status with phase, podName, url and conditions (Scheduled, ImagePulled, Ready)
  // replaced; anything else (lastActivity) as it was.
  nlohmann::json status;
  // Look again after this long even if nothing changes: the startup deadline of a Pending
  // session.
  std::optional<std::chrono::milliseconds> recheck_after;
};

DerivedStatus DeriveStatus(const Observation& observation);

// `derived` differs from `current` in a field the reconciler owns.
bool StatusChanged(const nlohmann::json& current, const nlohmann::json& derived);

}  // namespace ss::session
