// The three WebSockets of useWebSocket.ts, opened as a browser opens them: the sign-in cookie from
// the login answer, an Origin header, no subprotocol. A foreign Origin is refused, `?token=` works,
// the cookie never authenticates a plain REST call, and a revoked token closes the socket.
#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include "session_support.h"
#include "ui_contract.h"
#include "ws_reader.h"

namespace ss::test {
namespace {

using nlohmann::json;

struct BrowserLogin {
  std::string token;
  // "name=value", as the browser sends it back.
  std::string cookie;
  // The whole Set-Cookie header of the login answer.
  std::string set_cookie;
};

// api.ts's login(), keeping what the browser keeps: the token (localStorage) and the cookie.
BrowserLogin Login(PlatformStack& stack, const std::string& username, const std::string& password) {
  HttpClient api = stack.Api();
  const HttpResponse response =
      UiCall(api, "POST", "/auth/login", "", {{"username", username}, {"password", password}});
  INFO(response.body);
  REQUIRE(response.status == 200);
  BrowserLogin login;
  login.token = response.Json().at("token").get<std::string>();
  login.set_cookie = response.Header("set-cookie");
  login.cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
  stack.Remember(login.token);
  return login;
}

std::string OwnOrigin(PlatformStack& stack) {
  return "http://127.0.0.1:" + std::to_string(stack.auth().api_port());
}

WsOptions Browser(PlatformStack& stack, const BrowserLogin& login) {
  WsOptions options;
  options.cookie = login.cookie;
  options.origin = OwnOrigin(stack);
  return options;
}

// The next message of `type`, skipping others (the UI ignores them too).
std::optional<json> NextOfType(WsReader& ws, const std::string& type) {
  for (int i = 0; i < 10; ++i) {
    auto message = ws.Next(std::chrono::seconds(15));
    if (!message)
      return std::nullopt;
    if (message->is_object() && message->value("type", "") == type)
      return message;
  }
  return std::nullopt;
}

// A session pod of `user`, with the labels nodes reads ownership from.
std::string PodYaml(const std::string& name, const std::string& user, const std::string& user_id) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\n  namespace: streamspace\n  labels:\n    streamspace.io/user: " + user +
         "\n    streamspace.io/user-id: \"" + user_id + "\"\n    streamspace.io/session: " + name +
         "\nspec:\n  containers: [{name: desktop, image: "
         "\"lscr.io/linuxserver/firefox:latest\"}]\n";
}

}  // namespace

TEST_CASE("ui contract: the three WebSockets as a browser opens them", "[websocket]") {
  PlatformStack stack(UiPlatform());
  ApplyFirefox(stack);
  const int port = stack.auth().api_port();
  HttpClient api = stack.Api();
  const Session admin_session = stack.LoginAdmin();
  const auto [alice_id, alice_password] = stack.auth().CreateUser(admin_session.token, "alice");
  const auto [bob_id, bob_password] = stack.auth().CreateUser(admin_session.token, "bob");
  const BrowserLogin alice = Login(stack, "alice", alice_password);
  const BrowserLogin bob = Login(stack, "bob", bob_password);
  const BrowserLogin admin = Login(stack, "admin", stack.auth().admin_password());

  {
    INFO(ApiTs(409, "login") << ": " << alice.set_cookie);
    CHECK(alice.set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(alice.set_cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(alice.cookie.find('=') != std::string::npos);
  }
  {
    INFO("the cookie never authenticates a plain REST call");
    HttpRequest request;
    request.target = "/api/v1/sessions";
    request.headers["cookie"] = alice.cookie;
    request.headers["origin"] = OwnOrigin(stack);
    RequireError(api.Send(request), 401, 16);
  }

  INFO(UseWebSocketTs(134, "useSessionsWebSocket"));
  WsReader alice_ws(port, "/api/v1/ws/sessions", Browser(stack, alice));
  CHECK(alice_ws.subprotocol().empty());
  auto update = NextOfType(alice_ws, "sessions_update");
  REQUIRE(update);
  CHECK((*update)["sessions"] == json::array());

  CreateSession(api, bob.token);
  const json created = CreateSession(api, alice.token);
  const std::string name = created.at("name");
  REQUIRE(Eventually(
      [&] {
        update = NextOfType(alice_ws, "sessions_update");
        return update && (*update)["sessions"].size() == 1;
      },
      std::chrono::seconds(20)));
  const json& listed = (*update)["sessions"][0];
  CHECK(listed["name"] == name);
  CHECK(listed["user"] == "alice");
  CHECK(listed["template"] == "firefox");
  CHECK(listed["status"].is_object());
  CHECK(listed["status"].contains("phase"));

  {
    INFO("a foreign Origin is refused before the upgrade");
    WsOptions foreign = Browser(stack, alice);
    foreign.origin = "http://evil.example";
    CHECK_THROWS_AS(WsReader(port, "/api/v1/ws/sessions", foreign), boost::system::system_error);
    INFO("and so is the cookie without any Origin");
    WsOptions no_origin;
    no_origin.cookie = alice.cookie;
    CHECK_THROWS_AS(WsReader(port, "/api/v1/ws/sessions", no_origin), boost::system::system_error);
  }
  {
    INFO("?token= works (later UIs send it)");
    WsReader by_query(port, "/api/v1/ws/sessions?token=" + bob.token, WsOptions{});
    update = NextOfType(by_query, "sessions_update");
    REQUIRE(update);
    REQUIRE((*update)["sessions"].size() == 1);
    CHECK((*update)["sessions"][0]["user"] == "bob");
  }
  {
    INFO(UseWebSocketTs(153, "useMetricsWebSocket"));
    WsReader user_metrics(port, "/api/v1/ws/cluster", Browser(stack, alice));
    auto metrics = NextOfType(user_metrics, "metrics_update");
    REQUIRE(metrics);
    CHECK((*metrics)["metrics"]["activeConnections"].is_number());
    CHECK_FALSE((*metrics)["metrics"].contains("cluster"));
    WsReader admin_metrics(port, "/api/v1/ws/cluster", Browser(stack, admin));
    metrics = NextOfType(admin_metrics, "metrics_update");
    REQUIRE(metrics);
    const json& cluster = (*metrics)["metrics"]["cluster"];
    CHECK(cluster["nodes"]["total"].is_number());
    CHECK(cluster["sessions"]["total"].is_number());
    CHECK(cluster["users"]["total"].is_number());
  }
  {
    INFO(UseWebSocketTs(172, "useLogsWebSocket"));
    stack.Apply(PodYaml("alice-desktop", "alice", alice_id));
    REQUIRE(Eventually(
        [&] {
          return api.Get("/api/v1/cluster/pods/streamspace/alice-desktop/logs", alice.token)
                     .status == 200;
        },
        std::chrono::seconds(30)));
    WsReader logs(port, "/api/v1/ws/logs/streamspace/alice-desktop", Browser(stack, alice));
    const auto line = logs.Next(std::chrono::seconds(30));
    REQUIRE(line);
    CHECK(line->is_string());
    INFO("another user's pod stays out of reach");
    std::optional<json> foreign;
    try {
      WsReader bob_logs(port, "/api/v1/ws/logs/streamspace/alice-desktop", Browser(stack, bob));
      foreign = bob_logs.Next(std::chrono::seconds(5));
    } catch (const boost::system::system_error&) {
    }
    CHECK_FALSE((foreign && foreign->is_string()));
  }
  {
    INFO(ApiTs(419, "logout") << ": a revoked token closes the socket");
    HttpClient logout_api = stack.Api();
    REQUIRE(UiCall(logout_api, "POST", "/auth/logout", alice.token).status == 200);
    REQUIRE(Eventually(
        [&] {
          alice_ws.Next(std::chrono::seconds(1));
          return alice_ws.closed();
        },
        std::chrono::seconds(20)));
  }
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
