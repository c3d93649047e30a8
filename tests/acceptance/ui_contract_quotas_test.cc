// The web UI's contract, quotas (issue 16): the admin Quotas page, the quota parts of Users,
// UserDetail and GroupDetail, each call as api.ts at 62da6a7 makes it, with the fields those
// pages read. Operators read quotas but set none; a user reads only their own.
#include <catch2/catch.hpp>

#include "session_support.h"
#include "ui_contract.h"

namespace ss::test {
namespace {

using nlohmann::json;

// The flat quota of UserDetail.tsx and GroupDetail.tsx.
void CheckFlatQuota(const json& quota) {
  INFO(quota.dump());
  CHECK(quota["maxSessions"].is_number_integer());
  CHECK(quota["usedSessions"].is_number_integer());
  for (const char* field :
       {"maxCpu", "maxMemory", "maxStorage", "usedCpu", "usedMemory", "usedStorage"}) {
    CHECK(quota[field].is_string());
  }
}

}  // namespace

TEST_CASE("quotas as the admin pages call them", "[quotas]") {
  PlatformStack stack(UiPlatform());
  ApplyFirefox(stack);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  const Session olga = NewUserWithRole(stack, admin.token, "olga", "operator");
  HttpClient api = stack.Api();
  CreateSession(api, alice.token);

  {
    INFO(ApiTs(607, "setAdminUserQuota"));
    // Quotas.tsx handleSaveQuota: maxCPU, and maxSessions from parseInt.
    const json body = {{"username", "alice"},
                       {"maxSessions", 10},
                       {"maxCPU", "4000m"},
                       {"maxMemory", "8Gi"},
                       {"maxStorage", "50Gi"}};
    Ok(UiCall(api, "PUT", "/admin/quotas", admin.token, body));
    CHECK(UiCall(api, "PUT", "/admin/quotas", olga.token, body).status == 403);
    CHECK(UiCall(api, "PUT", "/admin/quotas", alice.token, body).status == 403);

    // listAllUserQuotas (597): Quotas.tsx reads username, limits.* and used.*.
    const json quotas = Ok(UiCall(api, "GET", "/admin/quotas", olga.token))["quotas"];
    REQUIRE(quotas.size() == 1);
    const json& quota = quotas[0];
    CHECK(quota["username"] == "alice");
    CHECK(quota["limits"]["maxSessions"] == 10);
    CHECK(quota["limits"]["maxCPU"] == "4000m");
    CHECK(quota["limits"]["maxMemory"] == "8Gi");
    CHECK(quota["limits"]["maxStorage"] == "50Gi");
    CHECK(quota["used"]["sessions"] == 1);
    CHECK(quota["used"]["cpu"] == "500m");
    CHECK(quota["used"]["memory"] == "512Mi");
    CHECK(quota["used"]["storage"].is_string());
    CHECK(UiCall(api, "GET", "/admin/quotas", bob.token).status == 403);

    // getAdminUserQuota (602).
    CheckFlatQuota(Ok(UiCall(api, "GET", "/admin/quotas/alice", admin.token)));

    // deleteAdminUserQuota (612).
    CHECK(UiCall(api, "DELETE", "/admin/quotas/alice", olga.token).status == 403);
    Ok(UiCall(api, "DELETE", "/admin/quotas/alice", admin.token));
    CHECK(Ok(UiCall(api, "GET", "/admin/quotas", admin.token))["quotas"].empty());
  }

  {
    INFO(ApiTs(477, "setUserQuota"));
    // UserDetail.tsx handleSaveQuota sends the four flat fields.
    const std::string path = "/users/" + alice.user_id + "/quota";
    const json saved = Ok(UiCall(
        api, "PUT", path, admin.token,
        {{"maxSessions", 3}, {"maxCpu", "2"}, {"maxMemory", "4Gi"}, {"maxStorage", "20Gi"}}));
    CheckFlatQuota(saved);
    CHECK(saved["maxSessions"] == 3);
    CHECK(UiCall(api, "PUT", path, olga.token, {{"maxSessions", 1}}).status == 403);

    // getUserQuota (472): UserDetail.tsx shows usedX / maxX.
    const json mine = Ok(UiCall(api, "GET", path, alice.token));
    CheckFlatQuota(mine);
    CHECK(mine["userId"] == alice.user_id);
    CHECK(mine["maxCpu"] == "2");
    CHECK(mine["usedSessions"] == 1);
    CHECK(mine["usedCpu"] == "500m");
    CheckFlatQuota(Ok(UiCall(api, "GET", path, olga.token)));
    CHECK(UiCall(api, "GET", path, bob.token).status == 404);

    // listUsers (438): Users.tsx shows quota.usedSessions / quota.maxSessions.
    const json users = Ok(UiCall(api, "GET", "/users", admin.token))["users"];
    bool seen = false;
    for (const json& user : users) {
      INFO(user.dump());
      REQUIRE(user.contains("quota"));
      CheckFlatQuota(user["quota"]);
      if (user["username"] == "alice") {
        seen = true;
        CHECK(user["quota"]["maxSessions"] == 3);
        CHECK(user["quota"]["usedSessions"] == 1);
      }
    }
    CHECK(seen);
  }

  {
    INFO(ApiTs(541, "setGroupQuota"));
    const json group =
        Ok(UiCall(api, "POST", "/groups", admin.token,
                  {{"name", "team-a"}, {"displayName", "Team A"}, {"type", "team"}}));
    const std::string id = group["id"];
    Ok(UiCall(api, "POST", "/groups/" + id + "/members", admin.token,
              {{"userId", alice.user_id}, {"role", "member"}}));
    // GroupDetail.tsx handleSaveQuota sends the four flat fields.
    const json saved = Ok(UiCall(
        api, "PUT", "/groups/" + id + "/quota", admin.token,
        {{"maxSessions", 5}, {"maxCpu", "8"}, {"maxMemory", "16Gi"}, {"maxStorage", "100Gi"}}));
    CHECK(saved["groupId"] == id);
    CHECK(UiCall(api, "PUT", "/groups/" + id + "/quota", olga.token, {{"maxSessions", 1}}).status ==
          403);

    // getGroupQuota (536): the members' use together.
    CHECK(Eventually(
        [&] {
          const json quota = Ok(UiCall(api, "GET", "/groups/" + id + "/quota", olga.token));
          return quota["usedSessions"] == 1;
        },
        std::chrono::seconds(5)));
    const json quota = Ok(UiCall(api, "GET", "/groups/" + id + "/quota", admin.token));
    CheckFlatQuota(quota);
    CHECK(quota["maxSessions"] == 5);
    CHECK(quota["usedCpu"] == "500m");
    CHECK(UiCall(api, "GET", "/groups/" + id + "/quota", bob.token).status == 403);
  }
}

}  // namespace ss::test
