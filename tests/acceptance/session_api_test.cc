// Issue 4 acceptance of the sessions API through the gateway: create (name pattern, the Session
// resource and what the reconciler makes of it, list and get), ownership (another user gets 404),
// hibernate and wake via connect, delete, bad input that leaves nothing behind, and the platform
// config.
#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>

#include "session_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

std::string SessionPath(const std::string& id, const std::string& rest = "") {
  return "/api/v1/sessions/" + id + rest;
}

}  // namespace

TEST_CASE("create through the gateway: name, resource, list and get", "[create]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();

  const json created = CreateSession(api, alice.token,
                                     {{"template", "firefox"},
                                      {"resources", {{"cpu", "1"}, {"memory", "2Gi"}}},
                                      {"idleTimeout", "45m"},
                                      {"tags", {"dev", "team-a"}}});
  const std::string id = created["name"];
  CHECK(std::regex_match(id, std::regex("alice-firefox-[0-9a-f]{8}")));
  CHECK(created["namespace"] == "streamspace");
  CHECK(created["user"] == "alice");
  CHECK(created["template"] == "firefox");
  CHECK(created["state"] == "running");
  CHECK(created["resources"] == json({{"cpu", "1"}, {"memory", "2Gi"}}));
  CHECK(created["idleTimeout"] == "45m");
  CHECK(created["maxSessionDuration"] == "8h");
  CHECK(created["persistentHome"] == true);
  CHECK(created["tags"] == json({"dev", "team-a"}));
  CHECK_FALSE(created.value("createdAt", "").empty());

  // The Session resource, as kubectl sees it, with the owner's labels.
  const auto [status, yaml] = stack.Kubectl("-n streamspace get ss " + id +
                                            " -o jsonpath='{.spec.user} {.spec.state} "
                                            "{.metadata.labels.streamspace\\.io/user}'");
  INFO(yaml);
  REQUIRE(status == 0);
  CHECK(yaml == "alice running alice");

  // The reconciler runs it: Deployment, Service, Ingress and the home PVC; Pending -> Running.
  CHECK((created["status"].value("phase", "").empty() ||
         created["status"].value("phase", "") == "Pending"));
  for (const std::string& object :
       {"deployment/" + id, "service/" + id, "ingress/" + id, std::string("pvc/home-alice")}) {
    INFO(object);
    CHECK(Eventually(
        [&] { return stack.Kubectl("-n streamspace get " + object + " -o name").first == 0; },
        std::chrono::seconds(30)));
  }
  json running;
  CHECK(Eventually(
      [&] {
        running = api.Get(SessionPath(id), alice.token).Json();
        return running["status"].value("phase", "") == "Running";
      },
      std::chrono::seconds(60)));
  CHECK(running["status"].value("url", "") == "https://" + id + ".streamspace.local");

  // Defaults come from the template (requests) and the platform config.
  const json defaults = CreateSession(api, alice.token);
  CHECK(defaults["resources"] == json({{"cpu", "500m"}, {"memory", "512Mi"}}));
  CHECK(defaults["idleTimeout"] == "30m");

  const HttpResponse got = api.Get(SessionPath(id), alice.token);
  REQUIRE(got.status == 200);
  CHECK(got.Json()["name"] == id);

  json list;
  REQUIRE(Eventually([&] {
    list = api.Get("/api/v1/sessions", alice.token).Json();
    return list.value("total", 0) == 2;
  }));
  // Ordered by (createdAt, id): creation times have second precision.
  std::vector<std::pair<std::string, std::string>> order = {
      {created["createdAt"], id}, {defaults["createdAt"], defaults["name"]}};
  std::sort(order.begin(), order.end());
  REQUIRE(list["sessions"].size() == 2);
  CHECK(list["sessions"][0]["name"] == order[0].second);
  CHECK(list["sessions"][1]["name"] == order[1].second);

  // Paging: one per page, in the same order, then no token.
  const json first = api.Get("/api/v1/sessions?pageSize=1", alice.token).Json();
  REQUIRE(first["sessions"].size() == 1);
  CHECK(first["sessions"][0]["name"] == order[0].second);
  const std::string token = first["nextPageToken"];
  const json second = api.Get("/api/v1/sessions?pageSize=1&pageToken=" + token, alice.token).Json();
  REQUIRE(second["sessions"].size() == 1);
  CHECK(second["sessions"][0]["name"] == order[1].second);
  CHECK(second.value("nextPageToken", "").empty());

  // /users/{id}/sessions by user id and by username; the state filter.
  CHECK(api.Get("/api/v1/users/" + alice.user_id + "/sessions", alice.token).Json()["total"] == 2);
  CHECK(api.Get("/api/v1/users/alice/sessions", alice.token).Json()["total"] == 2);
  CHECK(api.Get("/api/v1/sessions?state=hibernated", alice.token).Json().value("total", 0) == 0);

  // The mirror in Postgres follows the cache.
  CHECK(Eventually([&] {
    const std::string ids = MirroredIds(stack);
    return ids.find(id) != std::string::npos &&
           ids.find(defaults["name"].get<std::string>()) != std::string::npos;
  }));
}

TEST_CASE("another user's session answers 404 everywhere", "[other-user]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  const Session admin = stack.LoginAdmin();
  auto api = stack.Api();
  const std::string id = CreateSession(api, alice.token)["name"];

  RequireError(api.Get(SessionPath(id), bob.token), 404, 5);
  RequireError(api.Patch(SessionPath(id), R"({"state":"hibernated"})", bob.token), 404, 5);
  RequireError(api.Delete(SessionPath(id), bob.token), 404, 5);
  RequireError(api.Get(SessionPath(id, "/connect"), bob.token), 404, 5);
  RequireError(api.Get("/api/v1/users/" + alice.user_id + "/sessions", bob.token), 404, 5);
  CHECK(api.Get("/api/v1/sessions", bob.token).Json().value("total", -1) == 0);
  // Naming another user is for admins and operators only.
  RequireError(api.Get("/api/v1/sessions?user=alice", bob.token), 403, 7);

  // Admins reach every user's sessions.
  CHECK(api.Get(SessionPath(id), admin.token).status == 200);
  CHECK(api.Get("/api/v1/sessions?user=alice", admin.token).Json()["total"] == 1);
  CHECK(api.Get("/api/v1/users/" + alice.user_id + "/sessions", admin.token).Json()["total"] == 1);
  CHECK(api.Get("/api/v1/sessions", alice.token).Json()["total"] == 1);

  // Nothing changed for alice.
  const auto [status, state] =
      stack.Kubectl("-n streamspace get ss " + id + " -o jsonpath='{.spec.state}'");
  CHECK(status == 0);
  CHECK(state == "running");
}

TEST_CASE("hibernate, wake by connect, terminate; illegal transitions", "[lifecycle]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();
  const std::string id = CreateSession(api, alice.token)["name"];

  HttpResponse patched = api.Patch(SessionPath(id), R"({"state":"hibernated"})", alice.token);
  REQUIRE(patched.status == 200);
  CHECK(patched.Json()["state"] == "hibernated");
  // The same state again is a no-op.
  CHECK(api.Patch(SessionPath(id), R"({"state":"hibernated"})", alice.token).status == 200);
  const auto [status, state] =
      stack.Kubectl("-n streamspace get ss " + id + " -o jsonpath='{.spec.state}'");
  CHECK(status == 0);
  CHECK(state == "hibernated");
  const auto replicas = [&] {
    return stack.Kubectl("-n streamspace get deployment " + id + " -o jsonpath='{.spec.replicas}'")
        .second;
  };
  const auto phase = [&] {
    return api.Get(SessionPath(id), alice.token).Json()["status"].value("phase", "");
  };
  CHECK(Eventually([&] { return replicas() == "0" && phase() == "Hibernated"; },
                   std::chrono::seconds(60)));

  // Connect wakes it and records the connection with the tracker.
  const HttpResponse connected = api.Get(SessionPath(id, "/connect"), alice.token);
  INFO(connected.body);
  REQUIRE(connected.status == 200);
  const json answer = connected.Json();
  CHECK(answer["session"]["state"] == "running");
  CHECK(answer["state"] == "running");
  CHECK_FALSE(answer.value("message", "").empty());
  CHECK_FALSE(answer.value("sessionUrl", "").empty());
  CHECK(answer.value("connectionId", "").size() == 36);
  CHECK(Eventually([&] { return replicas() == "1" && phase() == "Running"; },
                   std::chrono::seconds(60)));
  const json connections = api.Get(SessionPath(id, "/connections"), alice.token).Json();
  CHECK(connections.value("total", 0) == 1);
  // The tracker's report reaches the session (activeConnections).
  CHECK(Eventually(
      [&] {
        return api.Get(SessionPath(id), alice.token).Json().value("activeConnections", 0) == 1;
      },
      std::chrono::seconds(20)));

  patched = api.Patch(SessionPath(id), R"({"state":"terminated"})", alice.token);
  REQUIRE(patched.status == 200);
  CHECK(patched.Json()["state"] == "terminated");
  RequireError(api.Patch(SessionPath(id), R"({"state":"running"})", alice.token), 400, 9);
  RequireError(api.Patch(SessionPath(id), R"({"state":"hibernated"})", alice.token), 400, 9);
  RequireError(api.Patch(SessionPath(id), R"({"state":"paused"})", alice.token), 400, 3);
  RequireError(api.Get(SessionPath(id, "/connect"), alice.token), 400, 9);
}

TEST_CASE("delete removes the Session everywhere", "[delete]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();
  const std::string id = CreateSession(api, alice.token)["name"];
  const std::string kept = CreateSession(api, alice.token)["name"];
  CHECK(Eventually(
      [&] {
        const std::string names = KubectlNames(stack, "deployments");
        return names.find("/" + id) != std::string::npos &&
               names.find("/" + kept) != std::string::npos;
      },
      std::chrono::seconds(30)));

  const HttpResponse deleted = api.Delete(SessionPath(id), alice.token);
  INFO(deleted.body);
  REQUIRE(deleted.status == 200);
  CHECK(Eventually([&] { return api.Get(SessionPath(id), alice.token).status == 404; }));
  CHECK(Eventually([&] { return KubectlNames(stack, "ss").find(id) == std::string::npos; }));
  CHECK(Eventually([&] { return MirroredIds(stack).find(id) == std::string::npos; }));
  CHECK(KubectlNames(stack, "ss").find(kept) != std::string::npos);
  RequireError(api.Delete(SessionPath(id), alice.token), 404, 5);

  // Its Deployment and Service are garbage-collected; the home PVC is the user's and stays.
  CHECK(Eventually([&] {
    return KubectlNames(stack, "deployments").find("/" + id) == std::string::npos &&
           KubectlNames(stack, "services").find("/" + id) == std::string::npos;
  }));
  CHECK(KubectlNames(stack, "deployments").find("/" + kept) != std::string::npos);
  CHECK(KubectlNames(stack, "pvc").find("persistentvolumeclaim/home-alice") != std::string::npos);

  // With deleteHomeWithSession, the last session that mounts the home takes it along.
  const Session admin = stack.LoginAdmin();
  REQUIRE(api.Patch("/api/v1/config", R"({"deleteHomeWithSession":true})", admin.token).status ==
          200);
  REQUIRE(api.Delete(SessionPath(kept), alice.token).status == 200);
  CHECK(Eventually([&] {
    return KubectlNames(stack, "pvc").find("persistentvolumeclaim/home-alice") == std::string::npos;
  }));
}

TEST_CASE("bad input answers 4xx with the standard body and leaves nothing", "[bad-input]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();

  const std::vector<json> bodies = {
      {{"template", "no-such-template"}},
      {{"template", "../secrets"}},
      json::object(),
      {{"template", "firefox"}, {"resources", {{"cpu", "abc"}}}},
      {{"template", "firefox"}, {"resources", {{"cpu", "-1"}}}},
      {{"template", "firefox"}, {"resources", {{"memory", "-2Gi"}}}},
      {{"template", "firefox"}, {"resources", {{"memory", "0"}}}},
      {{"template", "firefox"}, {"resources", {{"cpu", "100000"}}}},
      {{"template", "firefox"}, {"idleTimeout", "forever"}},
      {{"template", "firefox"}, {"idleTimeout", "-5m"}},
      {{"template", "firefox"}, {"maxSessionDuration", "forever"}},
      {{"template", "firefox"}, {"tags", {std::string(64, 'x')}}},
      {{"template", "firefox"}, {"tags", std::vector<std::string>(21, "t")}},
      {{"template", "firefox"}, {"tags", {"a b"}}},
  };
  for (const json& body : bodies) {
    INFO(body.dump());
    RequireError(api.Post("/api/v1/sessions", body.dump(), alice.token), 400, 3);
  }
  RequireError(api.Get("/api/v1/sessions?pageSize=501", alice.token), 400, 3);
  RequireError(api.Get("/api/v1/sessions?pageToken=bogus", alice.token), 400, 3);
  RequireError(api.Get("/api/v1/sessions?state=sleeping", alice.token), 400, 3);
  RequireError(api.Get(SessionPath("alice-firefox-00000000"), alice.token), 404, 5);
  RequireError(api.Patch(SessionPath("nobody-x-00000000"), R"({"state":"running"})", alice.token),
               404, 5);

  // Nothing was made: no Session resource, no mirrored row.
  CHECK(KubectlNames(stack, "ss").find("session.stream.streamspace.io/") == std::string::npos);
  CHECK(MirroredIds(stack).empty());
  CHECK(KubectlNames(stack, "deployments").find("deployment.apps/") == std::string::npos);
  CHECK(KubectlNames(stack, "pvc").find("persistentvolumeclaim/") == std::string::npos);
}

TEST_CASE("platform config: admins read and change it, validated", "[config]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();

  const json defaults = api.Get("/api/v1/config", admin.token).Json();
  CHECK(defaults["defaultIdleTimeout"] == "30m");
  CHECK(defaults["defaultMaxSessionDuration"] == "8h");
  CHECK(defaults["ingressDomain"] == "streamspace.local");
  CHECK(defaults["homeSize"] == "10Gi");
  RequireError(api.Get("/api/v1/config", alice.token), 403, 7);
  RequireError(api.Patch("/api/v1/config", R"({"ingressDomain":"x"})", alice.token), 403, 7);

  for (const char* body : {R"({"defaultIdleTimeout":"forever"})", R"({"homeSize":"abc"})",
                           R"({"ingressDomain":"Not A Domain"})", R"({"storageClass":"a b"})",
                           R"({"startupTimeout":"-1m"})"}) {
    INFO(body);
    RequireError(api.Patch("/api/v1/config", body, admin.token), 400, 3);
  }
  const HttpResponse changed =
      api.Patch("/api/v1/config",
                R"({"defaultIdleTimeout":"10m","ingressDomain":"apps.example.org"})", admin.token);
  REQUIRE(changed.status == 200);
  CHECK(changed.Json()["defaultIdleTimeout"] == "10m");
  CHECK(changed.Json()["homeSize"] == "10Gi");
  CHECK(api.Get("/api/v1/config", admin.token).Json()["ingressDomain"] == "apps.example.org");
  // New sessions take the new default.
  CHECK(CreateSession(api, alice.token)["idleTimeout"] == "10m");
}

}  // namespace ss::test
