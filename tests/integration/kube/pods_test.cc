// Evictions (a disruption budget's 429 reported distinctly) and streamed pod logs.
#include <catch2/catch.hpp>
#include <future>

#include "emulator.h"
#include "kube/client.h"
#include "wait.h"

namespace ss::kube::testing {
namespace {

using nlohmann::json;

json Deployment(const std::string& name, int replicas) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec", {{"containers", {{{"name", "main"}, {"image", "nginx"}}}}}}}}}}};
}

// The name of a Running pod of the deployment `app`, once there is one.
std::string RunningPod(Client& client, const std::string& app) {
  std::string name;
  ListOptions options;
  options.label_selector = "app=" + app;
  options.field_selector = "status.phase=Running";
  WaitFor([&] {
    auto pods = client.List(resources::kPods, "default", options);
    if (pods && !pods->items.empty()) {
      name = pods->items[0]["metadata"]["name"];
    }
    return !name.empty();
  });
  return name;
}

}  // namespace

TEST_CASE("an eviction a disruption budget forbids is a distinct 429", "[evict]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  REQUIRE(client->Create(resources::kDeployments, "default", Deployment("guarded", 1)).ok());
  REQUIRE(client->Create(resources::kDeployments, "default", Deployment("free", 1)).ok());
  const json budget = {
      {"apiVersion", "policy/v1"},
      {"kind", "PodDisruptionBudget"},
      {"metadata", {{"name", "guarded"}, {"namespace", "default"}}},
      {"spec", {{"minAvailable", 1}, {"selector", {{"matchLabels", {{"app", "guarded"}}}}}}}};
  REQUIRE(client->Create(resources::kPodDisruptionBudgets, "default", budget).ok());
  const std::string guarded = RunningPod(*client, "guarded");
  const std::string free = RunningPod(*client, "free");
  REQUIRE_FALSE(guarded.empty());
  REQUIRE_FALSE(free.empty());

  auto blocked = client->Evict("default", guarded);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().IsTooManyRequests());
  CHECK(blocked.error().IsDisruptionBudget());
  CHECK(blocked.error().http_status == 429);
  CHECK(client->Get(resources::kPods, "default", guarded).ok());

  REQUIRE(client->Evict("default", free, 0).ok());
  CHECK(
      WaitFor([&] { return client->Get(resources::kPods, "default", free).error().IsNotFound(); }));
  auto absent = client->Evict("default", "no-such-pod");
  CHECK(absent.error().IsNotFound());
  CHECK_FALSE(absent.error().IsDisruptionBudget());
}

TEST_CASE("pod logs stream line by line: follow, tail, since, timestamps, cancel", "[logs]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  REQUIRE(client->Create(resources::kDeployments, "default", Deployment("talker", 1)).ok());
  const std::string pod = RunningPod(*client, "talker");
  REQUIRE_FALSE(pod.empty());
  REQUIRE(WaitFor([&] {
    int lines = 0;
    auto logs =
        client->StreamLogs("default", pod, {}, [&](std::string_view) { return ++lines < 3; });
    return logs.ok() && lines >= 3;
  }));

  LogOptions tail;
  tail.tail_lines = 2;
  tail.container = "main";
  std::vector<std::string> tailed;
  REQUIRE(client
              ->StreamLogs("default", pod, tail,
                           [&](std::string_view line) {
                             tailed.emplace_back(line);
                             return true;
                           })
              .ok());
  CHECK(tailed.size() == 2);

  LogOptions stamped;
  stamped.timestamps = true;
  stamped.since_seconds = 60;
  std::vector<std::string> with_time;
  REQUIRE(client
              ->StreamLogs("default", pod, stamped,
                           [&](std::string_view line) {
                             with_time.emplace_back(line);
                             return true;
                           })
              .ok());
  REQUIRE_FALSE(with_time.empty());
  CHECK(with_time[0].substr(0, 2) == "20");
  CHECK(with_time[0].find('T') == 10);

  // Follow: new lines keep coming until we stop reading.
  LogOptions follow;
  follow.follow = true;
  follow.tail_lines = 0;
  int followed = 0;
  REQUIRE(
      client->StreamLogs("default", pod, follow, [&](std::string_view) { return ++followed < 5; })
          .ok());
  CHECK(followed == 5);

  // Cancel from another thread while the follow waits for the next line.
  Cancellation cancellation;
  std::promise<void> first_line;
  bool signalled = false;
  auto running = std::async(std::launch::async, [&] {
    return client->StreamLogs(
        "default", pod, follow,
        [&](std::string_view) {
          if (!signalled) {
            signalled = true;
            first_line.set_value();
          }
          return true;
        },
        &cancellation);
  });
  REQUIRE(first_line.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto cancelled_at = std::chrono::steady_clock::now();
  cancellation.Cancel();
  REQUIRE(running.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
  CHECK(std::chrono::steady_clock::now() - cancelled_at < std::chrono::milliseconds(100));
  auto result = running.get();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().IsCancelled());

  LogOptions wrong;
  wrong.container = "nope";
  auto bad = client->StreamLogs("default", pod, wrong, [](std::string_view) { return true; });
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().http_status == 400);
}

}  // namespace ss::kube::testing
