// Issue 16 acceptance, groups and memberships in auth: group CRUD and nesting (a cycle refused,
// direct or not, also when two re-parentings race), memberships, the deletion rules, bad input
// refused with nothing written, and the groups on the user list.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "groups_support.h"

namespace ss::test {

using nlohmann::json;

TEST_CASE("groups: CRUD, nesting without cycles, memberships, deletion rules, bad input", "[api]") {
  AuthStack stack;
  const std::string admin = stack.Login("admin", stack.admin_password()).token;

  // Names are lower-cased; the display name defaults to the name, the type to team.
  const json eng = CreateGroup(stack, admin, {{"name", "Engineering"}});
  CHECK(eng["name"] == "engineering");
  CHECK(eng["displayName"] == "engineering");
  CHECK(eng["type"] == "team");
  CHECK(eng["description"] == "");
  CHECK(eng["memberCount"] == 0);
  CHECK_FALSE(eng.contains("parentId"));
  const std::string eng_id = eng["id"];
  const json backend = CreateGroup(stack, admin,
                                   {{"name", "backend"},
                                    {"displayName", "Backend Team"},
                                    {"description", "Services\nand databases"},
                                    {"type", "project"},
                                    {"parentId", eng_id}});
  CHECK(backend["parentId"] == eng_id);
  CHECK(backend["description"] == "Services\nand databases");
  const std::string backend_id = backend["id"];
  const json squad = CreateGroup(stack, admin, {{"name", "api-squad"}, {"parentId", backend_id}});
  const std::string squad_id = squad["id"];
  CHECK(Ok(GroupCall(stack, "GET", "/groups/" + eng_id, admin)) == eng);

  RequireError(GroupCall(stack, "POST", "/groups", admin, {{"name", "ENGINEERING"}}), 409, 6);
  RequireError(GroupCall(stack, "POST", "/groups", admin,
                         {{"name", "orphan"}, {"parentId", kUnknownGroupId}}),
               404, 5);
  RequireError(GroupCall(stack, "GET", "/groups/" + std::string(kUnknownGroupId), admin), 404, 5);

  CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups", admin))) ==
        std::vector<std::string>{"api-squad", "backend", "engineering"});
  CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups?type=project", admin))) ==
        std::vector<std::string>{"backend"});
  CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups?parentId=" + eng_id, admin))) ==
        std::vector<std::string>{"backend"});
  CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups?type=team&parentId=" + backend_id,
                                  admin))) == std::vector<std::string>{"api-squad"});

  {
    INFO("a cycle is refused, direct or not, and nothing changes");
    const std::string before = GroupTables(stack);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"parentId", eng_id}}), 400,
                 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"parentId", backend_id}}),
                 400, 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"parentId", squad_id}}),
                 400, 3);
    RequireError(
        GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"parentId", kUnknownGroupId}}), 404,
        5);
    CHECK(GroupTables(stack) == before);
  }
  {
    INFO("re-parenting: top-level, then under another group; fields change one by one");
    const json top =
        Ok(GroupCall(stack, "PATCH", "/groups/" + squad_id, admin, {{"parentId", ""}}));
    CHECK_FALSE(top.contains("parentId"));
    const json moved =
        Ok(GroupCall(stack, "PATCH", "/groups/" + squad_id, admin, {{"parentId", eng_id}}));
    CHECK(moved["parentId"] == eng_id);
    const json renamed = Ok(GroupCall(stack, "PATCH", "/groups/" + squad_id, admin,
                                      {{"displayName", "API Squad"}, {"type", "organization"}}));
    CHECK(renamed["displayName"] == "API Squad");
    CHECK(renamed["type"] == "organization");
    CHECK(renamed["parentId"] == eng_id);
    CHECK(renamed["name"] == "api-squad");
    CHECK(renamed["description"] == "");
  }

  const auto [alice_id, alice_password] = stack.CreateUser(admin, "alice");
  const auto [bob_id, bob_password] = stack.CreateUser(admin, "bob");
  {
    INFO("memberships: by id or username, roles, duplicates, unknown users and groups");
    const json added = Ok(
        GroupCall(stack, "POST", "/groups/" + eng_id + "/members", admin, {{"userId", alice_id}}));
    CHECK(added["role"] == "member");
    CHECK(added["joinedAt"].is_string());
    CHECK(added["user"]["id"] == alice_id);
    CHECK(added["user"]["email"] == "alice@example.org");
    const json owner = Ok(GroupCall(stack, "POST", "/groups/" + eng_id + "/members", admin,
                                    {{"userId", "Bob"}, {"role", "owner"}}));
    CHECK(owner["user"]["id"] == bob_id);
    CHECK(owner["role"] == "owner");
    RequireError(
        GroupCall(stack, "POST", "/groups/" + eng_id + "/members", admin, {{"userId", "alice"}}),
        409, 6);
    RequireError(
        GroupCall(stack, "POST", "/groups/" + eng_id + "/members", admin, {{"userId", "nobody"}}),
        404, 5);
    RequireError(GroupCall(stack, "POST", "/groups/" + eng_id + "/members", admin,
                           {{"userId", kUnknownGroupId}}),
                 404, 5);
    RequireError(GroupCall(stack, "POST", "/groups/" + std::string(kUnknownGroupId) + "/members",
                           admin, {{"userId", alice_id}}),
                 404, 5);

    const json members = Ok(GroupCall(stack, "GET", "/groups/" + eng_id + "/members", admin));
    INFO(members.dump());
    REQUIRE(members["members"].size() == 2);
    CHECK(members["total"] == 2);
    CHECK(members["members"][0]["user"]["username"] == "alice");
    CHECK(members["members"][0]["user"]["fullName"] == "User alice");
    CHECK(members["members"][0]["role"] == "member");
    CHECK(members["members"][1]["user"]["username"] == "bob");
    CHECK(members["members"][1]["role"] == "owner");
    CHECK(Ok(GroupCall(stack, "GET", "/groups/" + eng_id, admin))["memberCount"] == 2);

    const json promoted = Ok(GroupCall(stack, "PATCH", "/groups/" + eng_id + "/members/" + alice_id,
                                       admin, {{"role", "admin"}}));
    CHECK(promoted["role"] == "admin");
    CHECK(promoted["joinedAt"] == added["joinedAt"]);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + backend_id + "/members/" + alice_id, admin,
                           {{"role", "admin"}}),
                 404, 5);

    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/" + alice_id + "/groups", admin))) ==
          std::vector<std::string>{"engineering"});
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/alice/groups", admin))) ==
          std::vector<std::string>{"engineering"});
    RequireError(GroupCall(stack, "GET", "/users/nobody/groups", admin), 404, 5);

    Ok(GroupCall(stack, "DELETE", "/groups/" + eng_id + "/members/" + bob_id, admin));
    RequireError(GroupCall(stack, "DELETE", "/groups/" + eng_id + "/members/" + bob_id, admin), 404,
                 5);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/bob/groups", admin))).empty());
  }
  {
    INFO(
        "the user list carries each user's direct groups, and no quota without the session "
        "service");
    const json users = Ok(GroupCall(stack, "GET", "/users", admin));
    std::map<std::string, json> by_name;
    for (const json& user : users["users"])
      by_name[user["username"]] = user;
    CHECK(by_name.at("alice")["groups"] == json::array({"engineering"}));
    CHECK(by_name.at("bob")["groups"] == json::array());
    CHECK(by_name.at("admin")["groups"] == json::array());
    for (const auto& [name, user] : by_name)
      CHECK_FALSE(user.contains("quota"));
  }

  const std::string before_bad_input = GroupTables(stack);
  {
    INFO("bad input: 400 with the standard body, nothing written");
    for (const json& body :
         {json{{"name", "bad name"}}, json{{"name", ""}}, json::object(),
          json{{"name", std::string(64, 'a')}}, json{{"name", "a.b"}},
          json{{"name", "ok"}, {"type", "bogus"}}, json{{"name", "ok"}, {"type", "Team"}},
          json{{"name", "ok"}, {"displayName", std::string(129, 'x')}},
          json{{"name", "ok"}, {"displayName", "tab\there"}},
          json{{"name", "ok"}, {"description", std::string(1025, 'x')}},
          json{{"name", "ok"}, {"parentId", "not-a-uuid"}}}) {
      INFO(body.dump());
      RequireError(GroupCall(stack, "POST", "/groups", admin, body), 400, 3);
    }
    RequireError(GroupCall(stack, "GET", "/groups/not-a-uuid", admin), 400, 3);
    RequireError(GroupCall(stack, "GET", "/groups?type=bogus", admin), 400, 3);
    RequireError(GroupCall(stack, "GET", "/groups?parentId=zz", admin), 400, 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"type", "bogus"}}), 400,
                 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"displayName", ""}}), 400,
                 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + eng_id, admin, {{"parentId", "nope"}}), 400,
                 3);
    RequireError(GroupCall(stack, "PATCH", "/groups/bad", admin, {{"displayName", "x"}}), 400, 3);
    RequireError(GroupCall(stack, "DELETE", "/groups/bad", admin), 400, 3);
    const std::string members = "/groups/" + eng_id + "/members";
    RequireError(GroupCall(stack, "POST", members, admin, {{"userId", ""}}), 400, 3);
    RequireError(GroupCall(stack, "POST", members, admin, {{"userId", "a b"}}), 400, 3);
    RequireError(GroupCall(stack, "POST", members, admin, {{"userId", "bob"}, {"role", "king"}}),
                 400, 3);
    RequireError(GroupCall(stack, "PATCH", members + "/" + alice_id, admin, {{"role", ""}}), 400,
                 3);
    RequireError(GroupCall(stack, "PATCH", members + "/" + alice_id, admin, {{"role", "operator"}}),
                 400, 3);
    RequireError(GroupCall(stack, "DELETE", members + "/a%20b", admin), 400, 3);
    RequireError(GroupCall(stack, "GET", "/users/a%20b/groups", admin), 400, 3);
    CHECK(GroupTables(stack) == before_bad_input);
  }
  {
    INFO("deletion: not a group with subgroups, never a system group; memberships go along");
    RequireError(GroupCall(stack, "DELETE", "/groups/" + eng_id, admin), 400, 9);
    const json everyone = CreateGroup(stack, admin, {{"name", "everyone"}, {"type", "system"}});
    const std::string everyone_id = everyone["id"];
    RequireError(GroupCall(stack, "DELETE", "/groups/" + everyone_id, admin), 403, 7);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + everyone_id, admin, {{"type", "team"}}),
                 403, 7);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + backend_id, admin, {{"type", "system"}}),
                 403, 7);
    CHECK(Ok(GroupCall(stack, "GET", "/groups/" + everyone_id, admin))["type"] == "system");

    Ok(GroupCall(stack, "DELETE", "/groups/" + squad_id, admin));
    Ok(GroupCall(stack, "DELETE", "/groups/" + backend_id, admin));
    Ok(GroupCall(stack, "DELETE", "/groups/" + eng_id, admin));
    RequireError(GroupCall(stack, "DELETE", "/groups/" + eng_id, admin), 404, 5);
    RequireError(GroupCall(stack, "GET", "/groups/" + eng_id, admin), 404, 5);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/alice/groups", admin))).empty());
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups", admin))) ==
          std::vector<std::string>{"everyone"});

    // A deleted user leaves their groups.
    Ok(GroupCall(stack, "POST", "/groups/" + everyone_id + "/members", admin,
                 {{"userId", "alice"}}));
    Ok(GroupCall(stack, "DELETE", "/users/" + alice_id, admin));
    const json members = Ok(GroupCall(stack, "GET", "/groups/" + everyone_id + "/members", admin));
    CHECK(members["members"].empty());
    CHECK(members["total"] == 0);
  }
  {
    INFO("two re-parentings at once cannot together make a cycle");
    for (int i = 0; i < 8; ++i) {
      const std::string x = CreateGroup(stack, admin, {{"name", "x" + std::to_string(i)}})["id"];
      const std::string y = CreateGroup(stack, admin, {{"name", "y" + std::to_string(i)}})["id"];
      HttpResponse x_under_y;
      std::thread other([&] {
        x_under_y = GroupCall(stack, "PATCH", "/groups/" + x, admin, {{"parentId", y}});
      });
      const HttpResponse y_under_x =
          GroupCall(stack, "PATCH", "/groups/" + y, admin, {{"parentId", x}});
      other.join();
      CHECK(std::multiset<int>{x_under_y.status, y_under_x.status} == std::multiset<int>{200, 400});
    }
  }
}

}  // namespace ss::test
