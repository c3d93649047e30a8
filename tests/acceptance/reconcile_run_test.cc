// The reconciler runs sessions: objects with ownerReferences and no duplicates, Pending ->
// Running with a url, hibernate and wake, terminate, and the two ways of failing fast (an image
// that cannot be pulled, no progress within the startup timeout).
#include <catch2/catch.hpp>
#include <thread>

#include "reconcile_support.h"
#include "session_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

std::string Replicas(PlatformStack& stack, const std::string& id) {
  const json deployment = KubectlGet(stack, "deployments", id);
  return deployment.is_object() ? deployment["spec"]["replicas"].dump() : "";
}

int PodCount(kube::Client& client, const std::string& id) {
  kube::ListOptions options;
  options.label_selector = "streamspace.io/session=" + id;
  auto pods = client.List(kube::resources::kPods, "streamspace", options);
  return pods ? static_cast<int>(pods->items.size()) : -1;
}

}  // namespace

TEST_CASE("a session runs: its objects, Pending then Running, the url", "[run]") {
  PlatformStack stack(ReconcilePlatform(1, {{"RECONCILE_RESYNC", "1s"}}));
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  PhaseRecorder phases(*client);
  const json created =
      CreateSession(api, alice.token, {{"template", "firefox"}, {"persistentHome", true}});
  const std::string id = created["name"];

  REQUIRE(WaitForPhase(*client, id, "Running"));
  CHECK(phases.Phases(id, "Running") == std::vector<std::string>{"Pending", "Running"});
  const json status = SessionStatus(*client, id);
  CHECK(status["url"] == "https://" + id + ".streamspace.local");
  for (const char* type : {"Scheduled", "ImagePulled", "Ready"}) {
    INFO(type);
    CHECK(FindCondition(status, type)["status"] == "True");
    CHECK_FALSE(FindCondition(status, type).value("lastTransitionTime", "").empty());
  }
  const json pod = KubectlGet(stack, "pods", status["podName"]);
  REQUIRE(pod.is_object());
  CHECK(pod["metadata"]["labels"]["streamspace.io/session"] == id);
  CHECK(pod["metadata"]["labels"]["streamspace.io/user"] == "alice");
  const json container = pod["spec"]["containers"][0];
  CHECK(container["image"] == "nginx:1.27");
  CHECK(container["resources"]["requests"]["cpu"] == "500m");
  RequireSessionObjects(stack, id, "alice", true);
  const json ingress = KubectlGet(stack, "ingresses", id);
  CHECK(ingress["spec"]["rules"][0]["host"] == id + ".streamspace.local");

  // Resyncs that find nothing to do write nothing: no status, no object.
  const auto version = [&](const kube::ResourceRef& ref) {
    auto object = client->Get(ref, "streamspace", id);
    REQUIRE(object.ok());
    return (*object)["metadata"].value("resourceVersion", "") +
           (*object)["metadata"].value("generation", json(0)).dump();
  };
  const std::string session_version = version(kube::resources::kSessions);
  const std::string service_version = version(kube::resources::kServices);
  const std::string ingress_version = version(kube::resources::kIngresses);
  const json deployment = KubectlGet(stack, "deployments", id);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // three resyncs
  CHECK(version(kube::resources::kSessions) == session_version);
  CHECK(version(kube::resources::kServices) == service_version);
  CHECK(version(kube::resources::kIngresses) == ingress_version);
  CHECK(KubectlGet(stack, "deployments", id)["metadata"]["generation"] ==
        deployment["metadata"]["generation"]);

  // The API shows what the reconciler wrote.
  CHECK(Eventually([&] {
    const json got = api.Get("/api/v1/sessions/" + id, alice.token).Json();
    return got.is_object() && got["status"].value("phase", "") == "Running" &&
           got["status"].value("url", "") == status["url"];
  }));
}

TEST_CASE("hibernate scales to zero, wake runs again, terminate removes the objects",
          "[hibernate]") {
  PlatformStack stack(ReconcilePlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  const std::string id =
      CreateSession(api, alice.token, {{"template", "firefox"}, {"persistentHome", true}})["name"];
  REQUIRE(WaitForPhase(*client, id, "Running"));

  REQUIRE(api.Patch("/api/v1/sessions/" + id, R"({"state":"hibernated"})", alice.token).status ==
          200);
  REQUIRE(WaitForPhase(*client, id, "Hibernated"));
  CHECK(Replicas(stack, id) == "0");
  CHECK(PodCount(*client, id) == 0);
  CHECK(FindCondition(SessionStatus(*client, id), "Ready")["reason"] == "Hibernated");
  RequireSessionObjects(stack, id, "alice", true);

  REQUIRE(api.Patch("/api/v1/sessions/" + id, R"({"state":"running"})", alice.token).status == 200);
  REQUIRE(WaitForPhase(*client, id, "Running"));
  CHECK(Replicas(stack, id) == "1");
  CHECK(PodCount(*client, id) == 1);

  REQUIRE(api.Patch("/api/v1/sessions/" + id, R"({"state":"terminated"})", alice.token).status ==
          200);
  REQUIRE(WaitForPhase(*client, id, "Terminated"));
  CHECK(Eventually([&] { return PodCount(*client, id) == 0; }, std::chrono::seconds(30)));
  for (const char* kind : {"deployments", "services", "ingresses"}) {
    INFO(kind);
    CHECK(KubectlGet(stack, kind, id).is_null());
  }
  CHECK(KubectlGet(stack, "persistentvolumeclaims", "home-alice").is_object());
}

TEST_CASE("an image that cannot be pulled fails the session with the reason", "[failed-image]") {
  PlatformStack stack(ReconcilePlatform());
  stack.Apply(TemplateYaml("broken", "registry.example.com/invalid-image:1.0"));
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  PhaseRecorder phases(*client);
  const std::string id = CreateSession(api, alice.token, {{"template", "broken"}})["name"];

  REQUIRE(WaitForPhase(*client, id, "Failed"));
  const json ready = FindCondition(SessionStatus(*client, id), "Ready");
  CHECK(ready["status"] == "False");
  CHECK(ready["reason"] == "ImagePullBackOff");
  CHECK(ready["message"].get<std::string>().find("invalid-image") != std::string::npos);
  CHECK(FindCondition(SessionStatus(*client, id), "ImagePulled")["status"] == "False");
  CHECK(phases.Phases(id, "Failed") == std::vector<std::string>{"Pending", "Failed"});
  RequireSessionObjects(stack, id, "alice", false);
}

TEST_CASE("a session that makes no progress fails at the startup timeout, and recovers",
          "[startup-timeout]") {
  PlatformStack stack(ReconcilePlatform(1, {{"STARTUP_TIMEOUT", "5s"}}));
  ApplyFirefox(stack);
  for (const char* node : {"node-a", "node-b", "gpu-node-1"}) {
    const auto [status, output] = stack.Kubectl(std::string("cordon ") + node);
    INFO(output);
    REQUIRE(status == 0);
  }
  const Session alice = stack.NewUser("alice");
  auto client = stack.emulator().NewClient();
  HttpClient api = stack.Api();
  const std::string id = CreateSession(api, alice.token, {{"template", "firefox"}})["name"];

  REQUIRE(WaitForPhase(*client, id, "Failed"));
  const json status = SessionStatus(*client, id);
  CHECK(FindCondition(status, "Ready")["reason"] == "StartupTimeout");
  CHECK(FindCondition(status, "Scheduled")["status"] == "False");
  CHECK(FindCondition(status, "Scheduled")["reason"] == "Unschedulable");

  for (const char* node : {"node-a", "node-b", "gpu-node-1"}) {
    REQUIRE(stack.Kubectl(std::string("uncordon ") + node).first == 0);
  }
  REQUIRE(WaitForPhase(*client, id, "Running"));
}

}  // namespace ss::test
