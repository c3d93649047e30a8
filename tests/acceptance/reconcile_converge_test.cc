// Level-triggered convergence: the service killed between two objects, the Deployment deleted by
// hand, the emulator restarted, the leader of two replicas killed. Each time the session returns
// to Running with all its objects and nothing duplicated.
#include <catch2/catch.hpp>

#include "reconcile_support.h"
#include "session_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

bool Exists(kube::Client& client, const kube::ResourceRef& ref, const std::string& name) {
  return client.Get(ref, "streamspace", name).ok();
}

// A session created through the gateway whose Deployment exists and whose Service does not yet:
// the reconciler is pausing between the two (RECONCILE_STEP_DELAY).
std::string CreateAndCatchMidStep(PlatformStack& stack, kube::Client& client) {
  const Session alice = stack.NewUser("alice");
  HttpClient api = stack.Api();
  const std::string id = CreateSession(api, alice.token, {{"template", "firefox"}})["name"];
  REQUIRE(Eventually([&] { return Exists(client, kube::resources::kDeployments, id); },
                     std::chrono::seconds(60)));
  return id;
}

}  // namespace

TEST_CASE("killed between the Deployment and the Service, the service converges on restart",
          "[kill-mid-step]") {
  PlatformStack stack(ReconcilePlatform(1, {{"RECONCILE_STEP_DELAY", "5s"}}));
  ApplyFirefox(stack);
  auto client = stack.emulator().NewClient();
  const std::string id = CreateAndCatchMidStep(stack, *client);
  stack.StopService("session", 0, /*kill=*/true);
  REQUIRE_FALSE(Exists(*client, kube::resources::kServices, id));

  stack.StartService("session", 0);
  REQUIRE(WaitForPhase(*client, id, "Running"));
  RequireSessionObjects(stack, id, "alice", false);
}

TEST_CASE("a Deployment deleted by hand comes back", "[deleted-deployment]") {
  PlatformStack stack(ReconcilePlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  const std::string id = CreateSession(api, alice.token, {{"template", "firefox"}})["name"];
  REQUIRE(WaitForPhase(*client, id, "Running"));
  const std::string old_uid = KubectlGet(stack, "deployments", id)["metadata"]["uid"];
  const std::string old_pod = SessionStatus(*client, id)["podName"];

  const auto [status, output] = stack.Kubectl("-n streamspace delete deployment " + id);
  INFO(output);
  REQUIRE(status == 0);
  REQUIRE(Eventually(
      [&] {
        const json deployment = KubectlGet(stack, "deployments", id);
        const json session = SessionStatus(*client, id);
        return deployment.is_object() && deployment["metadata"]["uid"] != old_uid &&
               session.value("phase", "") == "Running" && session.value("podName", "") != old_pod;
      },
      std::chrono::seconds(60)));
  RequireSessionObjects(stack, id, "alice", false);
}

TEST_CASE("after an emulator restart the reconciler carries on", "[emulator-restart]") {
  PlatformStack stack(ReconcilePlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  const std::string first = CreateSession(api, alice.token, {{"template", "firefox"}})["name"];
  REQUIRE(WaitForPhase(*client, first, "Running"));

  stack.emulator().Stop();
  stack.emulator().Start();
  // Changes after the restart reach the reconciler: a missing Service, a new session.
  REQUIRE(stack.Kubectl("-n streamspace delete service " + first).first == 0);
  const std::string second = CreateSession(api, alice.token, {{"template", "firefox"}})["name"];
  REQUIRE(WaitForPhase(*client, second, "Running"));
  REQUIRE(Eventually([&] { return Exists(*client, kube::resources::kServices, first); },
                     std::chrono::seconds(60)));
  CHECK(WaitForPhase(*client, first, "Running"));
  RequireSessionObjects(stack, first, "alice", false);
  RequireSessionObjects(stack, second, "alice", false);
}

TEST_CASE("of two replicas one reconciles; kill it and the other finishes the job", "[replicas]") {
  PlatformStack stack(ReconcilePlatform(2, {{"RECONCILE_STEP_DELAY", "5s"}}));
  ApplyFirefox(stack);
  auto client = stack.emulator().NewClient();
  const std::string identities[] = {ReplicaIdentity(stack, 0), ReplicaIdentity(stack, 1)};
  REQUIRE(Eventually(
      [&] {
        const std::string holder = LeaseHolder(*client);
        return holder == identities[0] || holder == identities[1];
      },
      std::chrono::seconds(30)));
  const int leader = LeaseHolder(*client) == identities[0] ? 0 : 1;

  const std::string id = CreateAndCatchMidStep(stack, *client);
  // Only the Lease holder reconciles.
  CHECK(stack.Metric("session", leader, "session_reconciler_leading") == 1);
  CHECK(stack.Metric("session", 1 - leader, "session_reconciler_leading") < 1);
  for (const char* result : {"ok", "error"}) {
    CHECK(stack.Metric("session", 1 - leader,
                       std::string("session_reconciles_total{result=\"") + result + "\"}") < 1);
  }
  stack.StopService("session", leader, /*kill=*/true);
  REQUIRE_FALSE(Exists(*client, kube::resources::kServices, id));

  REQUIRE(WaitForPhase(*client, id, "Running"));
  CHECK(LeaseHolder(*client) == identities[1 - leader]);
  CHECK(stack.Metric("session", 1 - leader, "session_reconciler_leading") == 1);
  RequireSessionObjects(stack, id, "alice", false);
}

}  // namespace ss::test
