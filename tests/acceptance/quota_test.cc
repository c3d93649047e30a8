// Issue 16 acceptance of quotas: each limit refuses a create (or a wake) with 429 and creates
// nothing; deleting frees a slot and hibernating frees CPU and memory at once; limits resolve from
// the user, their groups and the platform default; two hundred concurrent creates on two replicas
// start exactly the limit; who may read and set which quota.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "session_support.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::test {
namespace {

namespace pb = streamspace::session::v1;
using nlohmann::json;

constexpr int kResourceExhausted = 8;
constexpr int kPermissionDenied = 7;
constexpr int kNotFound = 5;
constexpr int kInvalidArgument = 3;

PlatformOptions QuotaPlatform(int replicas = 1) {
  PlatformOptions options = SessionPlatform(replicas);
  options.services[0].env["GROUP_POLL_INTERVAL"] = "500ms";
  return options;
}

int SessionCount(PlatformStack& stack) {
  const std::string names = KubectlNames(stack, "sessions");
  return static_cast<int>(std::count(names.begin(), names.end(), '\n'));
}

json Put(HttpClient& api, const std::string& path, const json& body, const std::string& token) {
  INFO(path);
  return Ok(api.Put(path, body.dump(), token));
}

json Get(HttpClient& api, const std::string& path, const std::string& token) {
  INFO(path);
  return Ok(api.Get(path, token));
}

// Requires 429 RESOURCE_EXHAUSTED whose message names the limit.
void RequireOverQuota(const HttpResponse& response, const std::string& names) {
  RequireError(response, 429, kResourceExhausted);
  CHECK_THAT(response.Json().value("message", ""), Catch::Contains(names));
}

HttpResponse Create(HttpClient& api, const std::string& token, const json& body) {
  return api.Post("/api/v1/sessions", body.dump(), token);
}

HttpResponse SetState(HttpClient& api, const std::string& token, const std::string& name,
                      const std::string& state) {
  return api.Patch("/api/v1/sessions/" + name, json{{"state", state}}.dump(), token);
}

json NewGroup(HttpClient& api, const std::string& token, const json& body) {
  const HttpResponse response = api.Post("/api/v1/groups", body.dump(), token);
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  return response.Json();
}

void AddMember(HttpClient& api, const std::string& token, const std::string& group,
               const std::string& user) {
  const HttpResponse response =
      api.Post("/api/v1/groups/" + group + "/members", json{{"userId", user}}.dump(), token);
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
}

}  // namespace

TEST_CASE("each limit refuses with 429 and creates nothing; delete and hibernate free at once",
          "[limits]") {
  PlatformStack stack(QuotaPlatform());
  ApplyFirefox(stack);  // requests 500m and 512Mi
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  HttpClient api = stack.Api();
  const std::string quota = "/api/v1/users/" + alice.user_id + "/quota";
  const json no_home = {{"template", "firefox"}, {"persistentHome", false}};

  // Sessions: every session not deleted counts, whatever its state.
  Put(api, quota, {{"maxSessions", 2}}, admin.token);
  const std::string first = CreateSession(api, alice.token, no_home)["name"];
  const std::string second = CreateSession(api, alice.token, no_home)["name"];
  REQUIRE(SetState(api, alice.token, second, "hibernated").status == 200);
  RequireOverQuota(Create(api, alice.token, no_home),
                   "maxSessions is 2 (the user's own quota); this asks for 1 more session and 2 "
                   "are in use");
  CHECK(SessionCount(stack) == 2);
  REQUIRE(api.Delete("/api/v1/sessions/" + first, alice.token).status == 200);
  CreateSession(api, alice.token, no_home);

  // CPU: running sessions count their requests; hibernating frees them, waking takes them back.
  Put(api, quota, {{"maxSessions", 0}, {"maxCpu", "1"}}, admin.token);
  const std::string fourth = CreateSession(api, alice.token, no_home)["name"];  // 1000m running
  RequireOverQuota(Create(api, alice.token, no_home),
                   "maxCpu is 1 (the user's own quota); this asks for 500m CPU and 1 is in use");
  RequireOverQuota(SetState(api, alice.token, second, "running"), "maxCpu is 1");
  RequireOverQuota(api.Get("/api/v1/sessions/" + second + "/connect", alice.token), "maxCpu");
  CHECK(Get(api, "/api/v1/sessions/" + second, alice.token)["state"] == "hibernated");
  REQUIRE(SetState(api, alice.token, fourth, "hibernated").status == 200);
  REQUIRE(SetState(api, alice.token, second, "running").status == 200);
  CHECK(SessionCount(stack) == 3);

  // Memory: likewise (two running sessions use 1Gi).
  Put(api, quota, {{"maxCpu", ""}, {"maxMemory", "1Gi"}}, admin.token);
  RequireOverQuota(Create(api, alice.token, no_home),
                   "maxMemory is 1Gi (the user's own quota); this asks for 512Mi of memory and "
                   "1Gi is in use");

  // Storage: a session with a home creates the home volume (HOME_SIZE 10Gi).
  Put(api, quota, {{"maxMemory", "0"}, {"maxStorage", "5Gi"}}, admin.token);
  RequireOverQuota(Create(api, alice.token, {{"template", "firefox"}}),
                   "maxStorage is 5Gi (the user's own quota); this asks for a home volume of 10Gi");
  CHECK(SessionCount(stack) == 3);
  CreateSession(api, alice.token, no_home);

  // What the user reads of their own quota.
  const json mine = Get(api, quota, alice.token);
  CHECK(mine["userId"] == alice.user_id);
  CHECK(mine["username"] == "alice");
  CHECK(mine["maxStorage"] == "5Gi");
  CHECK(mine["maxSessions"] == 0);
  CHECK(mine["maxCpu"] == "");
  CHECK(mine["usedSessions"] == 4);
  CHECK(mine["usedCpu"] == "1500m");
  CHECK(mine["usedMemory"] == "1536Mi");
  CHECK(mine["usedStorage"] == "0");
  CHECK(mine["effective"]["maxStorage"]["source"] == "user");
  CHECK(mine["effective"]["maxSessions"]["source"] == "none");
}

TEST_CASE(
    "limits resolve: the user's own, else the tightest of groups and ancestors, else the "
    "default; changes apply within seconds",
    "[effective]") {
  PlatformStack stack(QuotaPlatform());
  ApplyFirefox(stack);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  HttpClient api = stack.Api();
  const json org = NewGroup(api, admin.token, {{"name", "org"}, {"type", "organization"}});
  const json team =
      NewGroup(api, admin.token, {{"name", "team"}, {"type", "team"}, {"parentId", org["id"]}});
  AddMember(api, admin.token, team["id"], alice.user_id);
  Put(api, "/api/v1/groups/" + team["id"].get<std::string>() + "/quota",
      {{"maxSessions", 5}, {"maxCpu", "8"}}, admin.token);
  Put(api, "/api/v1/groups/" + org["id"].get<std::string>() + "/quota",
      {{"maxSessions", 1}, {"maxMemory", "4Gi"}}, admin.token);
  REQUIRE(api.Patch("/api/v1/config", json{{"defaultMaxSessions", 3}}.dump(), admin.token).status ==
          200);

  const std::string alice_quota = "/api/v1/users/" + alice.user_id + "/quota";
  CHECK(Eventually(
      [&] {
        return Get(api, alice_quota, admin.token)["effective"]["maxSessions"]["group"] == "org";
      },
      std::chrono::seconds(10)));
  json effective = Get(api, alice_quota, admin.token)["effective"];
  CHECK(effective["maxSessions"]["value"] == "1");  // the ancestor's is tighter than the team's
  CHECK(effective["maxCpu"]["value"] == "8");
  CHECK(effective["maxCpu"]["group"] == "team");
  CHECK(effective["maxMemory"]["value"] == "4Gi");
  CHECK(effective["maxStorage"]["source"] == "none");
  // bob is in no group: the platform default.
  const json bobs = Get(api, "/api/v1/users/" + bob.user_id + "/quota", bob.token)["effective"];
  CHECK(bobs["maxSessions"]["value"] == "3");
  CHECK(bobs["maxSessions"]["source"] == "default");

  CreateSession(api, alice.token);
  RequireOverQuota(Create(api, alice.token, {{"template", "firefox"}}),
                   "maxSessions is 1 (group \"org\")");
  // The user's own value wins over the groups'.
  Put(api, alice_quota, {{"maxSessions", 2}}, admin.token);
  CreateSession(api, alice.token);
  RequireOverQuota(Create(api, alice.token, {{"template", "firefox"}}),
                   "maxSessions is 2 (the user's own quota)");

  // A membership change reaches the check within seconds: out of the team, out of its limits.
  Put(api, alice_quota, {{"maxSessions", 0}}, admin.token);
  REQUIRE(
      api.Delete("/api/v1/groups/" + team["id"].get<std::string>() + "/members/" + alice.user_id,
                 admin.token)
          .status == 200);
  CHECK(Eventually(
      [&] {
        return Get(api, alice_quota, alice.token)["effective"]["maxSessions"]["source"] ==
               "default";
      },
      std::chrono::seconds(5)));
  CreateSession(api, alice.token);
  RequireOverQuota(Create(api, alice.token, {{"template", "firefox"}}),
                   "maxSessions is 3 (the platform default)");
}

TEST_CASE("two hundred concurrent creates over two replicas start exactly maxSessions", "[race]") {
  PlatformStack stack(QuotaPlatform(2));
  ApplyFirefox(stack);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  HttpClient api = stack.Api();
  Put(api, "/api/v1/users/" + alice.user_id + "/quota", {{"maxSessions", 5}}, admin.token);

  std::vector<std::unique_ptr<pb::SessionService::Stub>> replicas;
  for (int i = 0; i < 2; ++i)
    replicas.push_back(pb::SessionService::NewStub(stack.Channel("session", i)));
  // The replica that did not take the change knows the limit within QUOTA_POLL_INTERVAL.
  for (auto& replica : replicas) {
    CHECK(Eventually([&] {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + alice.token);
      pb::GetUserQuotaRequest request;
      request.set_user_id(alice.user_id);
      pb::UserQuota quota;
      return replica->GetUserQuota(&context, request, &quota).ok() &&
             quota.effective().max_sessions().value() == "5";
    }));
  }
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 200; ++i) {
    callers.emplace_back([&, i] {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + alice.token);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      pb::CreateSessionRequest request;
      request.set_template_("firefox");
      pb::Session session;
      const grpc::Status status = replicas[i % 2]->CreateSession(&context, request, &session);
      if (status.ok())
        ++created;
      else if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
               status.error_message().find("maxSessions is 5") != std::string::npos)
        ++refused;
      else
        ++other;
    });
  }
  for (std::thread& caller : callers)
    caller.join();
  CHECK(created == 5);
  CHECK(refused == 195);
  CHECK(other == 0);
  CHECK(SessionCount(stack) == 5);
}

TEST_CASE("quota routes: who reads and sets which, the admin list, bad input", "[routes]") {
  PlatformStack stack(QuotaPlatform());
  ApplyFirefox(stack);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  HttpClient api = stack.Api();
  const HttpResponse operator_created = api.Post("/api/v1/users",
                                                 json{{"username", "olga"},
                                                      {"email", "olga@example.org"},
                                                      {"role", "operator"},
                                                      {"password", "operator-password-1"}}
                                                     .dump(),
                                                 admin.token);
  REQUIRE(operator_created.status == 200);
  const std::string olga =
      api.Post("/api/v1/auth/login",
               json{{"username", "olga"}, {"password", "operator-password-1"}}.dump())
          .Json()["token"];
  const std::string alice_quota = "/api/v1/users/" + alice.user_id + "/quota";

  // Admin routes, by username, with the admin page's maxCPU.
  const json put = Put(api, "/api/v1/admin/quotas",
                       {{"username", "alice"},
                        {"maxSessions", 4},
                        {"maxCPU", "4000m"},
                        {"maxMemory", "8Gi"},
                        {"maxStorage", "50Gi"}},
                       admin.token);
  CHECK(put["limits"]["maxCPU"] == "4000m");
  CHECK(put["maxCpu"] == "4000m");
  CreateSession(api, alice.token);
  const json listed = Get(api, "/api/v1/admin/quotas", olga);
  REQUIRE(listed["quotas"].size() == 1);
  const json& item = listed["quotas"][0];
  CHECK(item["username"] == "alice");
  CHECK(item["userId"] == alice.user_id);
  CHECK(
      item["limits"] ==
      json{{"maxSessions", 4}, {"maxCPU", "4000m"}, {"maxMemory", "8Gi"}, {"maxStorage", "50Gi"}});
  CHECK(item["used"]["sessions"] == 1);
  CHECK(item["used"]["cpu"] == "500m");
  CHECK(item["used"]["memory"] == "512Mi");
  CHECK(Get(api, "/api/v1/admin/quotas/alice", olga)["maxSessions"] == 4);
  CHECK(Get(api, alice_quota, alice.token)["maxMemory"] == "8Gi");

  // Operators read everything and change nothing; users read only their own.
  RequireError(api.Put("/api/v1/admin/quotas", json{{"username", "bob"}}.dump(), olga), 403,
               kPermissionDenied);
  RequireError(api.Put(alice_quota, json{{"maxSessions", 1}}.dump(), olga), 403, kPermissionDenied);
  RequireError(api.Delete("/api/v1/admin/quotas/alice", olga), 403, kPermissionDenied);
  RequireError(api.Get(alice_quota, bob.token), 404, kNotFound);
  RequireError(api.Put(alice_quota, json{{"maxSessions", 9}}.dump(), alice.token), 403,
               kPermissionDenied);
  RequireError(api.Get("/api/v1/admin/quotas", bob.token), 403, kPermissionDenied);
  CHECK(Get(api, "/api/v1/users/" + bob.user_id + "/quota", bob.token)["username"] == "bob");
  CHECK(Get(api, "/api/v1/users/bob/quota", bob.token)["userId"] == bob.user_id);

  // Bad input: a clear 400, nothing stored.
  for (const json& bad :
       {json{{"maxSessions", -1}}, json{{"maxCpu", "lots"}}, json{{"maxMemory", "1 Gi"}},
        json{{"maxSessions", "five"}}, json{{"maxDisks", 3}}}) {
    INFO(bad.dump());
    RequireError(api.Put(alice_quota, bad.dump(), admin.token), 400, kInvalidArgument);
  }
  CHECK(Get(api, alice_quota, admin.token)["maxSessions"] == 4);
  RequireError(api.Put("/api/v1/users/nobody/quota", json{{"maxSessions", 1}}.dump(), admin.token),
               404, kNotFound);
  RequireError(
      api.Put("/api/v1/groups/no-such-group/quota", json{{"maxSessions", 1}}.dump(), admin.token),
      404, kNotFound);

  // Delete unsets the user's own limits: the list is empty again.
  REQUIRE(api.Delete("/api/v1/admin/quotas/alice", admin.token).status == 200);
  CHECK(Get(api, "/api/v1/admin/quotas", admin.token)["quotas"].empty());
  CHECK(Get(api, alice_quota, alice.token)["maxCpu"] == "");
}

}  // namespace ss::test
