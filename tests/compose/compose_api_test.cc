// The compose stack through its published gateway (tests/compose/compose_test.sh starts it and
// runs each case by its tag): STREAMSPACE_API_PORT and ADMIN_PASSWORD say where and who.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "auth_stack.h"
#include "http_client.h"
#include "process.h"
#include "ws_reader.h"

using nlohmann::json;
using ss::test::Eventually;
using ss::test::HttpClient;
using ss::test::HttpResponse;
using ss::test::RequiredEnv;
using ss::test::WsOptions;
using ss::test::WsReader;

namespace {

int ApiPort() {
  return std::stoi(RequiredEnv("STREAMSPACE_API_PORT"));
}

std::string LoginAdmin(HttpClient& api) {
  const json body{{"username", "admin"}, {"password", RequiredEnv("ADMIN_PASSWORD")}};
  const HttpResponse response = api.Post("/api/v1/auth/login", body.dump());
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  return response.Json()["token"];
}

const json kEditor = {{"name", "compose-editor"},
                      {"displayName", "Editor"},
                      {"description", "Made by the compose test"},
                      {"category", "Development"},
                      {"baseImage", "codercom/code-server:4"},
                      {"appType", "webapp"},
                      {"defaultResources", {{"cpu", "500m"}, {"memory", "1Gi"}}},
                      {"ports", {{{"name", "http"}, {"containerPort", 8080}}}},
                      {"webapp", {{"enabled", true}, {"port", 8080}, {"path", "/"}}}};

}  // namespace

TEST_CASE(
    "a new stack: sign in, a template, a session Running over the WebSocket, hibernate, "
    "delete",
    "[first]") {
  HttpClient api("127.0.0.1", ApiPort());
  const std::string token = LoginAdmin(api);
  const HttpResponse created = api.Post("/api/v1/templates", kEditor.dump(), token);
  INFO(created.body);
  REQUIRE(created.status == 200);

  WsOptions stream;
  stream.token = token;
  stream.subprotocol = "streamspace.v1";
  WsReader ws(ApiPort(), "/api/v1/ws/sessions", stream);
  const auto snapshot = ws.Next();
  REQUIRE(snapshot);
  CHECK((*snapshot)["type"] == "snapshot");

  const HttpResponse session =
      api.Post("/api/v1/sessions", R"({"template":"compose-editor"})", token);
  INFO(session.body);
  REQUIRE(session.status == 200);
  const std::string name = session.Json()["name"];
  bool running = false;
  while (!running) {
    const auto message = ws.Next(std::chrono::seconds(60));
    REQUIRE(message);
    const json& changed = (*message)["session"];
    running = changed.is_object() && changed.value("name", "") == name &&
              changed["status"].value("phase", "") == "Running";
  }

  const std::string path = "/api/v1/sessions/" + name;
  REQUIRE(api.Patch(path, R"({"state":"hibernated"})", token).status == 200);
  CHECK(Eventually(
      [&] { return api.Get(path, token).Json()["status"].value("phase", "") == "Hibernated"; },
      std::chrono::seconds(60)));
  REQUIRE(api.Delete(path, token).status == 200);
  CHECK(Eventually([&] { return api.Get(path, token).status == 404; }, std::chrono::seconds(60)));
}

TEST_CASE("the stack again after down and up: the user and the template are still there",
          "[again]") {
  HttpClient api("127.0.0.1", ApiPort());
  const std::string token = LoginAdmin(api);
  const HttpResponse editor = api.Get("/api/v1/templates/compose-editor", token);
  INFO(editor.body);
  REQUIRE(editor.status == 200);
  CHECK(editor.Json()["displayName"] == "Editor");
}

// A service killed inside its container: while it is down its routes answer 503 at once (no
// hang), and once the restart policy has brought it back they answer 200 again.
TEST_CASE("the catalog's routes while it is down, then back", "[catalog-down]") {
  HttpClient api("127.0.0.1", ApiPort(), false, std::chrono::seconds(10));
  const std::string token = LoginAdmin(api);
  bool refused = false;
  bool back = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!back && std::chrono::steady_clock::now() < deadline) {
    const HttpResponse answer = api.Get("/api/v1/templates", token);
    INFO(answer.status << " " << answer.body);
    REQUIRE((answer.status == 200 || answer.status == 503));
    refused = refused || answer.status == 503;
    back = refused && answer.status == 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(refused);
  CHECK(back);
}
