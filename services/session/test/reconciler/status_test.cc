#include "reconciler/status.h"

#include <catch2/catch.hpp>

#include "core/rfc3339.h"

namespace ss::session {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

const auto kNow = *core::ParseRfc3339("2026-11-27T01:00:00Z");

json Pod(const std::string& name, const std::string& created = "2026-11-27T00:59:00Z") {
  return {{"metadata", {{"name", name}, {"creationTimestamp", created}}},
          {"spec", {{"nodeName", ""}}},
          {"status", {{"phase", "Pending"}}}};
}

json Scheduled(json pod) {
  pod["spec"]["nodeName"] = "node-a";
  pod["status"]["conditions"] = json::array({{{"type", "PodScheduled"}, {"status", "True"}}});
  return pod;
}

json Ready(json pod) {
  pod = Scheduled(std::move(pod));
  pod["status"]["phase"] = "Running";
  pod["status"]["conditions"].push_back({{"type", "Ready"}, {"status", "True"}});
  pod["status"]["containerStatuses"] = json::array(
      {{{"name", "session"}, {"imageID", "sha256:1"}, {"state", {{"running", json::object()}}}}});
  return pod;
}

json Waiting(json pod, const std::string& reason, int restarts = 0) {
  pod = Scheduled(std::move(pod));
  pod["status"]["containerStatuses"] =
      json::array({{{"name", "session"},
                    {"restartCount", restarts},
                    {"state", {{"waiting", {{"reason", reason}, {"message", "it broke"}}}}}}});
  return pod;
}

Observation Base(const std::string& state = "running") {
  Observation observation;
  observation.state = state;
  observation.created = "2026-11-27T00:59:00Z";
  observation.url = "https://s.example.com";
  observation.startup_timeout = minutes(5);
  observation.now = kNow;
  return observation;
}

const json& Condition(const json& status, const std::string& type) {
  for (const auto& condition : status["conditions"]) {
    if (condition["type"] == type) {
      return condition;
    }
  }
  FAIL("no condition " << type);
  static const json kNone;
  return kNone;
}

}  // namespace

TEST_CASE("no pod yet: Pending, with the startup deadline to look again") {
  const DerivedStatus derived = DeriveStatus(Base());
  CHECK(derived.status["phase"] == "Pending");
  CHECK(derived.status["url"] == "https://s.example.com");
  CHECK(derived.status["podName"] == "");
  CHECK(Condition(derived.status, "Ready")["reason"] == "Starting");
  CHECK(Condition(derived.status, "Scheduled")["status"] == "Unknown");
  REQUIRE(derived.recheck_after);
  CHECK(*derived.recheck_after == minutes(4));  // created a minute ago
}

TEST_CASE("a scheduled pod, then a Ready one: Pending, then Running with its name") {
  Observation observation = Base();
  observation.pods = {Scheduled(Pod("p-1"))};
  const DerivedStatus pending = DeriveStatus(observation);
  CHECK(pending.status["phase"] == "Pending");
  CHECK(pending.status["podName"] == "p-1");
  CHECK(Condition(pending.status, "Scheduled")["status"] == "True");
  CHECK(Condition(pending.status, "ImagePulled")["status"] == "Unknown");

  observation.status = pending.status;
  observation.pods = {Ready(Pod("p-1"))};
  observation.now = kNow + seconds(30);
  const DerivedStatus running = DeriveStatus(observation);
  CHECK(running.status["phase"] == "Running");
  CHECK(Condition(running.status, "Ready")["status"] == "True");
  CHECK(Condition(running.status, "ImagePulled")["status"] == "True");
  CHECK_FALSE(running.recheck_after);
  // Scheduled did not change: its transition time stays.
  CHECK(Condition(running.status, "Scheduled")["lastTransitionTime"] == "2026-11-27T01:00:00Z");
  CHECK(Condition(running.status, "Ready")["lastTransitionTime"] == "2026-11-27T01:00:30Z");
  CHECK(StatusChanged(pending.status, running.status));

  // The same observation again changes nothing: no write.
  observation.status = running.status;
  observation.now = kNow + minutes(10);
  CHECK_FALSE(StatusChanged(running.status, DeriveStatus(observation).status));
}

TEST_CASE("a pull that fails is Failed with the reason, from the container or the events") {
  Observation observation = Base();
  observation.pods = {Waiting(Pod("p-1"), "ImagePullBackOff")};
  const DerivedStatus failed = DeriveStatus(observation);
  CHECK(failed.status["phase"] == "Failed");
  const json& ready = Condition(failed.status, "Ready");
  CHECK(ready["status"] == "False");
  CHECK(ready["reason"] == "ImagePullBackOff");
  CHECK(ready["message"] == "ImagePullBackOff: it broke");
  CHECK(Condition(failed.status, "ImagePulled")["reason"] == "ImagePullBackOff");

  Observation from_events = Base();
  from_events.pods = {Scheduled(Pod("p-1"))};
  from_events.events = {{{"involvedObject", {{"name", "p-1"}}},
                         {"type", "Warning"},
                         {"reason", "Failed"},
                         {"message", "Failed to pull image \"x\": not found"}},
                        {{"involvedObject", {{"name", "other-pod"}}},
                         {"reason", "Failed"},
                         {"message", "Failed to pull image \"y\": not found"}}};
  const DerivedStatus by_event = DeriveStatus(from_events);
  CHECK(by_event.status["phase"] == "Failed");
  CHECK(Condition(by_event.status, "Ready")["message"] == "Failed to pull image \"x\": not found");
}

TEST_CASE("CrashLoopBackOff fails the session only after repeated restarts") {
  Observation observation = Base();
  observation.pods = {Waiting(Pod("p-1"), "CrashLoopBackOff", 2)};
  CHECK(DeriveStatus(observation).status["phase"] == "Pending");
  observation.pods = {Waiting(Pod("p-1"), "CrashLoopBackOff", 3)};
  const DerivedStatus failed = DeriveStatus(observation);
  CHECK(failed.status["phase"] == "Failed");
  CHECK(Condition(failed.status, "Ready")["reason"] == "CrashLoopBackOff");
}

TEST_CASE("no progress within the startup timeout: Failed, and it stays so until a pod is Ready") {
  Observation observation = Base();
  observation.pods = {Scheduled(Pod("p-1"))};
  const DerivedStatus pending = DeriveStatus(observation);
  REQUIRE(pending.status["phase"] == "Pending");

  observation.status = pending.status;
  observation.now = kNow + minutes(5);
  const DerivedStatus timed_out = DeriveStatus(observation);
  CHECK(timed_out.status["phase"] == "Failed");
  CHECK(Condition(timed_out.status, "Ready")["reason"] == "StartupTimeout");
  CHECK_FALSE(timed_out.recheck_after);

  observation.status = timed_out.status;
  observation.now = kNow + minutes(20);
  CHECK(DeriveStatus(observation).status == timed_out.status);

  observation.pods = {Ready(Pod("p-1"))};
  CHECK(DeriveStatus(observation).status["phase"] == "Running");
}

TEST_CASE("waking a hibernated session starts a fresh startup clock") {
  Observation observation = Base("hibernated");
  const DerivedStatus hibernated = DeriveStatus(observation);
  CHECK(hibernated.status["phase"] == "Hibernated");
  CHECK(Condition(hibernated.status, "Ready")["reason"] == "Hibernated");

  observation.state = "running";
  observation.status = hibernated.status;
  observation.now = kNow + minutes(60);
  const DerivedStatus waking = DeriveStatus(observation);
  CHECK(waking.status["phase"] == "Pending");
  REQUIRE(waking.recheck_after);
  CHECK(*waking.recheck_after == minutes(5));
}

TEST_CASE("terminated sessions, missing templates; lastActivity is left alone") {
  Observation observation = Base("terminated");
  observation.status = {{"phase", "Running"}, {"lastActivity", "2026-11-27T00:58:00Z"}};
  const DerivedStatus terminated = DeriveStatus(observation);
  CHECK(terminated.status["phase"] == "Terminated");
  CHECK(terminated.status["url"] == "");
  CHECK(terminated.status["lastActivity"] == "2026-11-27T00:58:00Z");

  Observation missing = Base();
  missing.failure = Failure{"TemplateNotFound", "template firefox not found"};
  const DerivedStatus failed = DeriveStatus(missing);
  CHECK(failed.status["phase"] == "Failed");
  CHECK(Condition(failed.status, "Ready")["reason"] == "TemplateNotFound");
}

TEST_CASE("StatusChanged looks only at the fields the reconciler owns") {
  const json a = {{"phase", "Running"}, {"lastActivity", "x"}};
  const json b = {{"phase", "Running"}, {"lastActivity", "y"}};
  CHECK_FALSE(StatusChanged(a, b));
  CHECK(StatusChanged(a, {{"phase", "Failed"}}));
}

}  // namespace ss::session
