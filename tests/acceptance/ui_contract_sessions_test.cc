// The sessions calls of api.ts (listSessions ... getSessionConnections), made as the UI makes
// them, with the fields its pages read: Sessions.tsx and Dashboard.tsx (name, user, template,
// state, status.phase, status.url, resources, activeConnections), SessionViewer.tsx (getSession,
// then connectSession's connectionId, heartbeats and the disconnect), Catalog.tsx (createSession
// with the signed-in user's name) and admin/Dashboard.tsx (every user's sessions for an admin).
// A request that names another user is refused unless the caller is an admin or operator; another
// user's session answers 404 on every call.
#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>

#include "session_support.h"
#include "ui_contract.h"

namespace ss::test {
namespace {

using nlohmann::json;

// The names of the sessions of a listSessions answer.
std::vector<std::string> Names(const HttpResponse& response) {
  INFO(response.body);
  REQUIRE(response.status == 200);
  const json answer = response.Json();
  std::vector<std::string> names;
  for (const json& session : answer.at("sessions"))
    names.push_back(session.at("name"));
  return names;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What every page reads of a session, present and of the right type.
void RequireSessionShape(const json& session) {
  INFO(session.dump());
  REQUIRE(session.is_object());
  CHECK(std::regex_match(session.value("name", ""), std::regex("[a-z0-9-]+-firefox-[0-9a-f]{8}")));
  CHECK(session["namespace"] == "streamspace");
  CHECK(session["template"] == "firefox");
  CHECK(session["state"].is_string());
  CHECK(session["persistentHome"].is_boolean());
  CHECK(session["resources"]["cpu"].is_string());
  CHECK(session["resources"]["memory"].is_string());
  CHECK(session["idleTimeout"].is_string());
  CHECK(session["maxSessionDuration"].is_string());
  CHECK(session["activeConnections"].is_number());
  CHECK_FALSE(session.value("createdAt", "").empty());
  REQUIRE(session["status"].is_object());
  CHECK(session["status"]["phase"].is_string());
}

}  // namespace

TEST_CASE("ui contract: sessions, as api.ts calls them", "[sessions]") {
  PlatformStack stack(UiPlatform());
  ApplyFirefox(stack);
  HttpClient api = stack.Api();
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  const Session olga = NewUserWithRole(stack, admin.token, "olga", "operator");
  const std::string any_session = "nobody-firefox-00000000";

  std::string name;
  {
    INFO(ApiTs(292, "createSession") << ": Catalog.tsx, for the signed-in user");
    const HttpResponse created =
        UiCall(api, "POST", "/sessions", alice.token,
               {{"user", "alice"}, {"template", "firefox"}, {"persistentHome", true}});
    INFO(created.body);
    REQUIRE(created.status == 200);
    const json session = created.Json();
    RequireSessionShape(session);
    name = session["name"];
    CHECK(name.rfind("alice-firefox-", 0) == 0);
    CHECK(session["user"] == "alice");
    CHECK(session["state"] == "running");
    CHECK(session["persistentHome"] == true);
  }
  std::string bobs;
  {
    INFO(ApiTs(292, "createSession") << ": every field of CreateSessionRequest");
    const HttpResponse created = UiCall(api, "POST", "/sessions", bob.token,
                                        {{"user", "bob"},
                                         {"template", "firefox"},
                                         {"resources", {{"memory", "1Gi"}, {"cpu", "750m"}}},
                                         {"persistentHome", false},
                                         {"idleTimeout", "45m"},
                                         {"maxSessionDuration", "2h"}});
    INFO(created.body);
    REQUIRE(created.status == 200);
    const json session = created.Json();
    RequireSessionShape(session);
    bobs = session["name"];
    CHECK(session["user"] == "bob");
    CHECK(session["resources"] == json({{"cpu", "750m"}, {"memory", "1Gi"}}));
    CHECK(session["persistentHome"] == false);
    CHECK(session["idleTimeout"] == "45m");
    CHECK(session["maxSessionDuration"] == "2h");
  }
  {
    INFO(ApiTs(292, "createSession") << ": a user naming another user is refused, nothing made");
    RequireError(
        UiCall(api, "POST", "/sessions", bob.token, {{"user", "alice"}, {"template", "firefox"}}),
        403, 7);
    RequireError(UiCall(api, "POST", "/sessions", bob.token,
                        {{"user", "not a user"}, {"template", "firefox"}}),
                 400, 3);
    const std::vector<std::string> all = Names(UiCall(api, "GET", "/sessions", admin.token));
    CHECK(all.size() == 2);
  }
  std::string made_by_admin;
  std::string made_by_operator;
  {
    INFO(ApiTs(292, "createSession") << ": admins and operators create for another user");
    const HttpResponse by_admin =
        UiCall(api, "POST", "/sessions", admin.token, {{"user", "Bob"}, {"template", "firefox"}});
    INFO(by_admin.body);
    REQUIRE(by_admin.status == 200);
    CHECK(by_admin.Json()["user"] == "bob");
    made_by_admin = by_admin.Json()["name"];
    CHECK(made_by_admin.rfind("bob-firefox-", 0) == 0);
    const HttpResponse by_operator =
        UiCall(api, "POST", "/sessions", olga.token, {{"user", "bob"}, {"template", "firefox"}});
    INFO(by_operator.body);
    REQUIRE(by_operator.status == 200);
    CHECK(by_operator.Json()["user"] == "bob");
    made_by_operator = by_operator.Json()["name"];
    // Bob owns them: he reaches them, alice does not.
    CHECK(UiCall(api, "GET", "/sessions/" + made_by_admin, bob.token).status == 200);
    RequireError(UiCall(api, "GET", "/sessions/" + made_by_operator, alice.token), 404, 5);
  }
  {
    INFO(ApiTs(281, "listSessions") << ": a user's own, with and without ?user=");
    const std::vector<std::string> mine = Names(UiCall(api, "GET", "/sessions", alice.token));
    CHECK(mine == std::vector<std::string>{name});
    const HttpResponse listed = UiCall(api, "GET", "/sessions?user=alice", alice.token);
    CHECK(Names(listed) == std::vector<std::string>{name});
    CHECK(listed.Json()["total"] == 1);
    RequireSessionShape(listed.Json()["sessions"][0]);
    RequireError(UiCall(api, "GET", "/sessions?user=alice", bob.token), 403, 7);
    CHECK(Names(UiCall(api, "GET", "/sessions", bob.token)).size() == 3);
  }
  {
    INFO(ApiTs(281, "listSessions") << ": admin/Dashboard.tsx lists everyone's; ?user= filters");
    for (const Session* privileged : {&admin, &olga}) {
      const std::vector<std::string> all =
          Names(UiCall(api, "GET", "/sessions", privileged->token));
      CHECK(all.size() == 4);
      CHECK(Contains(all, name));
      CHECK(Names(UiCall(api, "GET", "/sessions?user=alice", privileged->token)) ==
            std::vector<std::string>{name});
    }
  }
  {
    INFO(ApiTs(287, "getSession") << ": SessionViewer.tsx waits for phase Running and a url");
    json session;
    REQUIRE(Eventually(
        [&] {
          const HttpResponse got = UiCall(api, "GET", "/sessions/" + name, alice.token);
          session = got.Json();
          return got.status == 200 && session["status"].value("phase", "") == "Running";
        },
        std::chrono::seconds(60)));
    RequireSessionShape(session);
    CHECK(session["name"] == name);
    CHECK(session["user"] == "alice");
    CHECK(session["state"] == "running");
    CHECK(session["status"].value("url", "") == "https://" + name + ".streamspace.local");
    CHECK_FALSE(session["status"].value("podName", "").empty());
    RequireError(UiCall(api, "GET", "/sessions/" + name, bob.token), 404, 5);
    RequireError(UiCall(api, "GET", "/sessions/" + any_session, alice.token), 404, 5);
  }
  std::string connection_id;
  {
    INFO(ApiTs(306, "connectSession") << ": ?user= the signed-in user");
    const HttpResponse connected =
        UiCall(api, "GET", "/sessions/" + name + "/connect?user=alice", alice.token);
    INFO(connected.body);
    REQUIRE(connected.status == 200);
    const json answer = connected.Json();
    connection_id = answer.value("connectionId", "");
    CHECK(connection_id.size() == 36);
    CHECK(answer["sessionUrl"] == "https://" + name + ".streamspace.local");
    CHECK(answer["state"] == "running");
    CHECK_FALSE(answer.value("message", "").empty());
    RequireError(UiCall(api, "GET", "/sessions/" + name + "/connect?user=bob", bob.token), 404, 5);
    RequireError(UiCall(api, "GET", "/sessions/" + bobs + "/connect?user=alice", bob.token), 403,
                 7);
    RequireError(UiCall(api, "GET", "/sessions/" + name + "/connect?user=x%20y", alice.token), 400,
                 3);
  }
  {
    INFO(ApiTs(319, "sendHeartbeat") << ": ?connectionId=, no body");
    const HttpResponse beat =
        UiCall(api, "POST", "/sessions/" + name + "/heartbeat?connectionId=" + connection_id,
               alice.token, json(nullptr));
    INFO(beat.body);
    CHECK(beat.status == 200);
    RequireError(
        UiCall(api, "POST", "/sessions/" + name + "/heartbeat?connectionId=" + connection_id,
               bob.token, json(nullptr)),
        404, 5);
  }
  {
    INFO(ApiTs(325, "getSessionConnections"));
    const HttpResponse listed =
        UiCall(api, "GET", "/sessions/" + name + "/connections", alice.token);
    INFO(listed.body);
    REQUIRE(listed.status == 200);
    CHECK(listed.Json()["total"] == 1);
    REQUIRE(listed.Json()["connections"].size() == 1);
    CHECK(listed.Json()["connections"][0]["id"] == connection_id);
    CHECK(listed.Json()["connections"][0]["state"] == "active");
    // The owner of a session nobody connected to gets an empty list.
    const HttpResponse none = UiCall(api, "GET", "/sessions/" + bobs + "/connections", bob.token);
    INFO(none.body);
    REQUIRE(none.status == 200);
    CHECK(none.Json()["total"] == 0);
    RequireError(UiCall(api, "GET", "/sessions/" + name + "/connections", bob.token), 404, 5);
    RequireError(UiCall(api, "GET", "/sessions/" + any_session + "/connections", bob.token), 404,
                 5);
    // Sessions.tsx shows the count the tracker reports.
    CHECK(Eventually(
        [&] {
          return UiCall(api, "GET", "/sessions/" + name, alice.token)
                     .Json()
                     .value("activeConnections", 0) == 1;
        },
        std::chrono::seconds(20)));
  }
  {
    INFO(ApiTs(313, "disconnectSession") << ": ?connectionId=, no body");
    RequireError(
        UiCall(api, "POST", "/sessions/" + name + "/disconnect?connectionId=" + connection_id,
               bob.token, json(nullptr)),
        404, 5);
    const HttpResponse closed =
        UiCall(api, "POST", "/sessions/" + name + "/disconnect?connectionId=" + connection_id,
               alice.token, json(nullptr));
    INFO(closed.body);
    CHECK(closed.status == 200);
    RequireError(
        UiCall(api, "POST", "/sessions/" + name + "/heartbeat?connectionId=" + connection_id,
               alice.token, json(nullptr)),
        404, 5);
  }
  {
    INFO(ApiTs(297, "updateSessionState") << ": hibernate, then run");
    RequireError(UiCall(api, "PATCH", "/sessions/" + name, bob.token, {{"state", "hibernated"}}),
                 404, 5);
    const HttpResponse hibernated =
        UiCall(api, "PATCH", "/sessions/" + name, alice.token, {{"state", "hibernated"}});
    INFO(hibernated.body);
    REQUIRE(hibernated.status == 200);
    RequireSessionShape(hibernated.Json());
    CHECK(hibernated.Json()["state"] == "hibernated");
    const HttpResponse running =
        UiCall(api, "PATCH", "/sessions/" + name, alice.token, {{"state", "running"}});
    INFO(running.body);
    REQUIRE(running.status == 200);
    CHECK(running.Json()["state"] == "running");
    // Operators manage every user's sessions.
    const HttpResponse by_operator =
        UiCall(api, "PATCH", "/sessions/" + bobs, olga.token, {{"state", "hibernated"}});
    CHECK(by_operator.status == 200);
  }
  {
    INFO(ApiTs(302, "deleteSession"));
    RequireError(UiCall(api, "DELETE", "/sessions/" + name, bob.token), 404, 5);
    CHECK(UiCall(api, "GET", "/sessions/" + name, alice.token).status == 200);
    const HttpResponse deleted = UiCall(api, "DELETE", "/sessions/" + name, alice.token);
    INFO(deleted.body);
    CHECK(deleted.status == 200);
    CHECK(Eventually(
        [&] { return UiCall(api, "GET", "/sessions/" + name, alice.token).status == 404; }));
    CHECK(UiCall(api, "DELETE", "/sessions/" + made_by_operator, olga.token).status == 200);
    CHECK(Names(UiCall(api, "GET", "/sessions", alice.token)).empty());
  }
}

}  // namespace ss::test
