// The web UI's contract, groups (issue 16): the admin Groups, CreateGroup and GroupDetail pages
// and the groups card of UserDetail, each call as api.ts at 62da6a7 makes it, with the fields
// those pages read. An operator reads the pages and changes nothing; a plain user sees only the
// groups they belong to.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "groups_support.h"
#include "ui_contract.h"

namespace ss::test {
namespace {

using nlohmann::json;

// { groups: Group[]; total: number }, the names in order.
std::vector<std::string> GroupNames(const HttpResponse& response) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  const json body = response.Json();
  REQUIRE(body["groups"].is_array());
  std::vector<std::string> names;
  for (const json& group : body["groups"]) {
    CheckGroupShape(group);
    names.push_back(group["name"]);
  }
  CHECK(body["total"] == static_cast<int>(names.size()));
  return names;
}

json Body(const HttpResponse& response) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  return response.Json();
}

}  // namespace

TEST_CASE("ui contract: the admin groups pages", "[groups]") {
  PlatformStack stack(UiPlatform());
  HttpClient api = stack.Api();
  const std::string admin = stack.LoginAdmin().token;
  const Session carol = stack.NewUser("carol");
  const Session oscar = NewUserWithRole(stack, admin, "oscar", "operator");

  json group;
  std::string org_id;
  {
    INFO(ApiTs(505, "createGroup"));
    // CreateGroup.tsx sends its whole form (the name already lower-cased by the form), then
    // navigates to /admin/groups/${group.id}.
    group = Body(UiCall(api, "POST", "/groups", admin,
                        {{"name", "design_team"},
                         {"displayName", "Design Team"},
                         {"description", ""},
                         {"type", "team"}}));
    CheckGroupShape(group);
    CHECK(group["name"] == "design_team");
    CHECK(group["displayName"] == "Design Team");
    CHECK(group["memberCount"] == 0);
    const json org = Body(UiCall(api, "POST", "/groups", admin,
                                 {{"name", "acme"},
                                  {"displayName", "ACME"},
                                  {"description", "The company"},
                                  {"type", "organization"}}));
    org_id = org["id"];
    // CreateGroupRequest's optional parentId.
    const json child = Body(UiCall(api, "POST", "/groups", admin,
                                   {{"name", "web"},
                                    {"displayName", "Web"},
                                    {"description", ""},
                                    {"type", "project"},
                                    {"parentId", org["id"]}}));
    CHECK(child["parentId"] == org["id"]);
    const auto taken = UiCall(api, "POST", "/groups", admin,
                              {{"name", "acme"}, {"displayName", "x"}, {"type", "team"}});
    CHECK(taken.status == 409);
    // The page shows error.response.data.message.
    CHECK(taken.Json()["message"].is_string());
    CHECK(UiCall(api, "POST", "/groups", oscar.token, {{"name", "ops"}, {"displayName", "Ops"}})
              .status == 403);
  }
  const std::string id = group["id"];
  {
    INFO(ApiTs(491, "listGroups"));
    // Groups.tsx: listGroups(typeFilter || undefined): no parameter for "All".
    CHECK(GroupNames(UiCall(api, "GET", "/groups", admin)) ==
          std::vector<std::string>{"acme", "design_team", "web"});
    CHECK(GroupNames(UiCall(api, "GET", "/groups?type=organization", admin)) ==
          std::vector<std::string>{"acme"});
    CHECK(GroupNames(UiCall(api, "GET", "/groups?type=system", admin)).empty());
    // listGroups(type, parentId) with both.
    CHECK(GroupNames(UiCall(api, "GET", "/groups?type=project&parentId=" + org_id, admin)) ==
          std::vector<std::string>{"web"});
  }
  {
    INFO(ApiTs(500, "getGroup"));
    const json got = Body(UiCall(api, "GET", "/groups/" + id, admin));
    CheckGroupShape(got);
    CHECK(got == group);
    CHECK(Body(UiCall(api, "GET", "/groups/" + id, oscar.token)) == group);
    CHECK(UiCall(api, "GET", "/groups/" + id, carol.token).status == 404);
  }
  {
    INFO(ApiTs(524, "addGroupMember"));
    // GroupDetail.tsx's dialog picks a user from listUsers (user.id) with a role.
    const json users = Body(UiCall(api, "GET", "/users", admin));
    std::string carol_id;
    for (const json& user : users["users"]) {
      CHECK(user["groups"].is_array());
      if (user["username"] == "carol")
        carol_id = user["id"];
    }
    REQUIRE(carol_id == carol.user_id);
    const auto added = UiCall(api, "POST", "/groups/" + id + "/members", admin,
                              {{"userId", carol_id}, {"role", "member"}});
    INFO(added.body);
    CHECK(added.status == 200);
    CHECK(UiCall(api, "POST", "/groups/" + id + "/members", admin,
                 {{"userId", oscar.user_id}, {"role", "owner"}})
              .status == 200);
    CHECK(UiCall(api, "POST", "/groups/" + id + "/members", admin,
                 {{"userId", carol_id}, {"role", "member"}})
              .status == 409);
    CHECK(UiCall(api, "POST", "/groups/" + id + "/members", oscar.token,
                 {{"userId", carol_id}, {"role", "member"}})
              .status == 403);
  }
  {
    INFO(ApiTs(519, "getGroupMembers"));
    const json body = Body(UiCall(api, "GET", "/groups/" + id + "/members", admin));
    INFO(body.dump());
    REQUIRE(body["members"].is_array());
    REQUIRE(body["members"].size() == 2);
    CHECK(body["total"] == 2);
    std::set<std::string> names;
    for (const json& member : body["members"]) {
      // The table: user.username, user.email, role.toUpperCase(), new Date(joinedAt); the remove
      // button passes user.id.
      CHECK(member["user"]["id"].is_string());
      CHECK(member["user"]["username"].is_string());
      CHECK(member["user"]["email"].is_string());
      CHECK(member["role"].is_string());
      CHECK(member["joinedAt"].is_string());
      names.insert(member["user"]["username"].get<std::string>() + ":" +
                   member["role"].get<std::string>());
    }
    CHECK(names == std::set<std::string>{"carol:member", "oscar:owner"});
    CHECK(Body(UiCall(api, "GET", "/groups/" + id, admin))["memberCount"] == 2);
    CHECK(Body(UiCall(api, "GET", "/groups/" + id + "/members", oscar.token))["total"] == 2);
  }
  {
    INFO(ApiTs(532, "updateMemberRole"));
    CHECK(UiCall(api, "PATCH", "/groups/" + id + "/members/" + carol.user_id, admin,
                 {{"role", "admin"}})
              .status == 200);
    const json body = Body(UiCall(api, "GET", "/groups/" + id + "/members", admin));
    for (const json& member : body["members"]) {
      if (member["user"]["id"] == carol.user_id)
        CHECK(member["role"] == "admin");
    }
    CHECK(UiCall(api, "PATCH", "/groups/" + id + "/members/" + carol.user_id, oscar.token,
                 {{"role", "owner"}})
              .status == 403);
  }
  {
    INFO(ApiTs(482, "getUserGroups"));
    // UserDetail.tsx: userGroups.groups.length, then name, displayName, type, memberCount.
    CHECK(GroupNames(UiCall(api, "GET", "/users/" + carol.user_id + "/groups", admin)) ==
          std::vector<std::string>{"design_team"});
    CHECK(GroupNames(UiCall(api, "GET", "/users/" + carol.user_id + "/groups", carol.token)) ==
          std::vector<std::string>{"design_team"});
    CHECK(GroupNames(UiCall(api, "GET", "/users/" + oscar.user_id + "/groups", oscar.token)) ==
          std::vector<std::string>{"design_team"});
    const Session dave = stack.NewUser("dave");
    CHECK(GroupNames(UiCall(api, "GET", "/users/" + dave.user_id + "/groups", admin)).empty());
    CHECK(UiCall(api, "GET", "/users/" + dave.user_id + "/groups", carol.token).status == 404);
    // A plain user's Groups page lists only their own groups.
    CHECK(GroupNames(UiCall(api, "GET", "/groups", carol.token)) ==
          std::vector<std::string>{"design_team"});
    CHECK(GroupNames(UiCall(api, "GET", "/groups", dave.token)).empty());
  }
  {
    INFO(ApiTs(510, "updateGroup"));
    // GroupDetail.tsx's edit form sends displayName, description and type as they stand.
    const json updated = Body(UiCall(
        api, "PATCH", "/groups/" + id, admin,
        {{"displayName", "Design"}, {"description", "Makes things pretty"}, {"type", "project"}}));
    CheckGroupShape(updated);
    CHECK(updated["displayName"] == "Design");
    CHECK(updated["description"] == "Makes things pretty");
    CHECK(updated["type"] == "project");
    CHECK(updated["name"] == "design_team");
    CHECK(updated["memberCount"] == 2);
    CHECK(UiCall(api, "PATCH", "/groups/" + id, oscar.token, {{"displayName", "x"}}).status == 403);
  }
  {
    INFO(ApiTs(528, "removeGroupMember"));
    CHECK(
        UiCall(api, "DELETE", "/groups/" + id + "/members/" + oscar.user_id, oscar.token).status ==
        403);
    CHECK(UiCall(api, "DELETE", "/groups/" + id + "/members/" + oscar.user_id, admin).status ==
          200);
    CHECK(Body(UiCall(api, "GET", "/groups/" + id + "/members", admin))["total"] == 1);
  }
  {
    INFO(ApiTs(515, "deleteGroup"));
    CHECK(UiCall(api, "DELETE", "/groups/" + id, oscar.token).status == 403);
    CHECK(UiCall(api, "DELETE", "/groups/" + id, admin).status == 200);
    CHECK(UiCall(api, "GET", "/groups/" + id, admin).status == 404);
    CHECK(
        GroupNames(UiCall(api, "GET", "/users/" + carol.user_id + "/groups", carol.token)).empty());
    // Groups.tsx disables its delete button for system groups; the API refuses them too.
    const json system =
        Body(UiCall(api, "POST", "/groups", admin,
                    {{"name", "everyone"}, {"displayName", "Everyone"}, {"type", "system"}}));
    CHECK(UiCall(api, "DELETE", "/groups/" + system["id"].get<std::string>(), admin).status == 403);
  }
  {
    INFO(ApiTs(438, "listUsers") + ": Users.tsx shows quota.usedSessions / quota.maxSessions");
    // auth asks the session service for the quotas of the page; the session service learns of
    // new users from auth's directory, so give it a moment.
    json users;
    const bool every_quota = Eventually([&] {
      users = Body(UiCall(api, "GET", "/users", admin));
      for (const json& user : users["users"]) {
        if (!user.contains("quota"))
          return false;
      }
      return true;
    });
    INFO(users.dump());
    CHECK(every_quota);
    for (const json& user : users["users"]) {
      CHECK(user["groups"].is_array());
      const json quota = user.value("quota", json::object());
      CHECK(quota.value("userId", "") == user["id"]);
      CHECK(quota.value("usedSessions", json()).is_number_integer());
      CHECK(quota.value("maxSessions", json()).is_number_integer());
    }
  }
}

}  // namespace ss::test
