#include "reconcile_support.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "session_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

constexpr const char* kNs = "streamspace";

kube::WatcherOptions Namespace() {
  kube::WatcherOptions options;
  options.ns = kNs;
  return options;
}

}  // namespace

PlatformOptions ReconcilePlatform(int session_replicas, const Environment& env) {
  PlatformOptions options = SessionPlatform(session_replicas);
  for (auto& service : options.services) {
    if (service.name != "session") {
      continue;
    }
    service.env["LEASE_DURATION"] = "3s";
    service.env["LEASE_RENEW_DEADLINE"] = "2s";
    service.env["LEASE_RETRY_PERIOD"] = "500ms";
    service.env["RECONCILE_RESYNC"] = "5s";
    for (const auto& [key, value] : env) {
      service.env[key] = value;
    }
  }
  options.emulator.pod_start_delay_ms = 1500;
  return options;
}

json SessionStatus(kube::Client& client, const std::string& id) {
  auto session = client.Get(kube::resources::kSessions, kNs, id);
  return session ? session->value("status", json()) : json();
}

bool WaitForPhase(kube::Client& client, const std::string& id, const std::string& phase) {
  return Eventually(
      [&] {
        const json status = SessionStatus(client, id);
        return status.is_object() && status.value("phase", "") == phase;
      },
      std::chrono::seconds(60));
}

json FindCondition(const json& status, const std::string& type) {
  if (status.is_object() && status.contains("conditions")) {
    for (const auto& condition : status["conditions"]) {
      if (condition.value("type", "") == type) {
        return condition;
      }
    }
  }
  return json();
}

json KubectlGet(PlatformStack& stack, const std::string& kind, const std::string& name) {
  const auto [status, output] =
      stack.Kubectl("-n streamspace get " + kind + " " + name + " -o json");
  if (status != 0) {
    INFO(output);
    REQUIRE(output.find("NotFound") != std::string::npos);
    return json();
  }
  return json::parse(output);
}

void RequireSessionObjects(PlatformStack& stack, const std::string& id, const std::string& user,
                           bool home) {
  const json session = KubectlGet(stack, "sessions", id);
  REQUIRE(session.is_object());
  const std::string uid = session["metadata"]["uid"];
  const auto [status, output] = stack.Kubectl(
      "-n streamspace get deployments,services,ingresses -l streamspace.io/session=" + id +
      " -o json");
  INFO(output);
  REQUIRE(status == 0);
  std::map<std::string, int> kinds;
  const json list = json::parse(output);
  for (const auto& object : list["items"]) {
    const std::string kind = object["kind"];
    ++kinds[kind];
    INFO(kind);
    CHECK(object["metadata"]["name"] == id);
    const json owners = object["metadata"].value("ownerReferences", json::array());
    REQUIRE(owners.size() == 1);
    CHECK(owners[0]["kind"] == "Session");
    CHECK(owners[0]["uid"] == uid);
    CHECK(owners[0]["controller"] == true);
    CHECK(owners[0]["blockOwnerDeletion"] == true);
  }
  CHECK(kinds == std::map<std::string, int>{{"Deployment", 1}, {"Ingress", 1}, {"Service", 1}});
  if (home) {
    const json claim = KubectlGet(stack, "persistentvolumeclaims", "home-" + user);
    REQUIRE(claim.is_object());
    CHECK_FALSE(claim["metadata"].contains("ownerReferences"));
  }
}

std::string ReplicaIdentity(PlatformStack& stack, int index) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "_" + std::to_string(stack.service("session", index).process->pid());
}

std::string LeaseHolder(kube::Client& client) {
  auto lease = client.Get(kube::resources::kLeases, kNs, "session-reconciler");
  return lease ? (*lease)["spec"].value("holderIdentity", "") : "";
}

PhaseRecorder::PhaseRecorder(kube::Client& client)
    : watcher_(client, kube::resources::kSessions, Namespace(), *this) {
  watcher_.Start();
  REQUIRE(Eventually([this] {
    std::lock_guard lock(mutex_);
    return synced_;
  }));
}

void PhaseRecorder::OnSynced() {
  std::lock_guard lock(mutex_);
  synced_ = true;
}

PhaseRecorder::~PhaseRecorder() {
  watcher_.Stop();
}

void PhaseRecorder::OnEvent(kube::WatchEventType /*type*/, const json& object) {
  const json status = object.value("status", json::object());
  const std::string phase = status.is_object() ? status.value("phase", "") : "";
  std::lock_guard lock(mutex_);
  auto& phases = phases_[object["metadata"].value("name", "")];
  if (!phase.empty() && (phases.empty() || phases.back() != phase)) {
    phases.push_back(phase);
  }
}

std::vector<std::string> PhaseRecorder::Phases(const std::string& id, const std::string& last) {
  Eventually([&] {
    std::lock_guard lock(mutex_);
    const auto& phases = phases_[id];
    return !phases.empty() && phases.back() == last;
  });
  std::lock_guard lock(mutex_);
  return phases_[id];
}

}  // namespace ss::test
