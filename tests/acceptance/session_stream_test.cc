// Issue 4 acceptance of the session service's stream and replicas: WatchSessions (snapshot, then
// the caller's changes and warnings, the open-streams gauge) and two replicas that both answer,
// share the platform config and the tracker's activity reports.
#include <catch2/catch.hpp>

#include "session_support.h"
#include "streamspace/session/v1/session.grpc.pb.h"
#include "ws_reader.h"

namespace ss::test {
namespace {

namespace pb = streamspace::session::v1;

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return context;
}

// A client that negotiates our subprotocol, and so gets snapshot/added/modified/deleted (the seed
// UI's sessions_update is the UI contract's, tests/acceptance/ui_contract_websocket_test.cc).
WsOptions StreamClient(const std::string& token) {
  WsOptions options;
  options.token = token;
  options.subprotocol = "streamspace.v1";
  return options;
}

}  // namespace

TEST_CASE("WatchSessions: snapshot, own changes, warnings, open-stream gauge", "[watch]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  auto api = stack.Api();
  const std::string before = CreateSession(api, alice.token)["name"];
  auto stub = pb::SessionService::NewStub(stack.Channel("session"));

  auto context = Context(alice.token);
  auto reader = stub->WatchSessions(context.get(), pb::WatchSessionsRequest());
  pb::SessionEvent event;
  REQUIRE(reader->Read(&event));
  CHECK(event.type() == "snapshot");
  REQUIRE(event.sessions_size() == 1);
  CHECK(event.sessions(0).name() == before);
  CHECK(Eventually([&] { return stack.Metric("session", 0, "session_watch_streams") == 1; }));

  // Bob's session is not on alice's stream: the next event is alice's own.
  CreateSession(api, bob.token);
  const std::string mine = CreateSession(api, alice.token)["name"];
  while (reader->Read(&event) && event.type() != "added") {
    CHECK(event.session().user() == "alice");
  }
  CHECK(event.type() == "added");
  CHECK(event.session().name() == mine);
  CHECK(event.session().user() == "alice");

  // A warning from the tracker (a service identity) reaches the owner's stream.
  pb::NotifySessionRequest notify;
  notify.set_session_id(mine);
  notify.set_reason("idle");
  notify.set_message("hibernating in 60 seconds");
  notify.set_seconds_left(60);
  pb::NotifySessionResponse notified;
  auto as_user = Context(alice.token);
  CHECK(stub->NotifySession(as_user.get(), notify, &notified).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  auto as_service = Context(stack.ServiceToken("tracker"));
  REQUIRE(stub->NotifySession(as_service.get(), notify, &notified).ok());
  while (reader->Read(&event) && event.type() != "warning") {
    CHECK(event.session().user() == "alice");
  }
  CHECK(event.type() == "warning");
  CHECK(event.reason() == "idle");
  CHECK(event.seconds_left() == 60);
  CHECK(event.session().name() == mine);

  // A deletion is the last word on the session. Alice's earlier session may still change
  // meanwhile (its pod starting), so the events before it are only checked to be alice's.
  REQUIRE(api.Delete("/api/v1/sessions/" + mine, alice.token).status == 200);
  while (reader->Read(&event) && event.type() != "deleted") {
    CHECK(event.session().user() == "alice");
  }
  CHECK(event.type() == "deleted");
  CHECK(event.session().name() == mine);

  context->TryCancel();
  reader->Finish();
  CHECK(Eventually([&] { return stack.Metric("session", 0, "session_watch_streams") == 0; }));
}

TEST_CASE("the sessions WebSocket: own sessions only, 50 clients on one upstream stream",
          "[websocket]") {
  PlatformStack stack(SessionPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  auto api = stack.Api();
  const int port = stack.auth().api_port();
  const std::string before = CreateSession(api, alice.token)["name"];

  WsReader alice_ws(port, "/api/v1/ws/sessions", StreamClient(alice.token));
  const auto snapshot = alice_ws.Next();
  REQUIRE(snapshot);
  CHECK((*snapshot)["type"] == "snapshot");
  REQUIRE((*snapshot)["sessions"].size() == 1);
  CHECK((*snapshot)["sessions"][0]["name"] == before);
  CHECK((*snapshot)["sessions"][0]["user"] == "alice");

  WsReader bob_ws(port, "/api/v1/ws/sessions", StreamClient(bob.token));
  const auto empty = bob_ws.Next();
  REQUIRE(empty);
  CHECK((*empty)["type"] == "snapshot");
  CHECK(empty->value("sessions", nlohmann::json::array()).empty());

  // Alice's new session reaches her socket in its REST shape; bob's socket stays silent.
  const auto created = CreateSession(api, alice.token);
  const std::string mine = created["name"];
  std::optional<nlohmann::json> message;
  while ((message = alice_ws.Next()) && !((*message)["type"] == "added")) {
    CHECK((*message)["session"]["user"] == "alice");
  }
  REQUIRE(message);
  CHECK((*message)["session"]["name"] == mine);
  CHECK((*message)["session"]["template"] == created["template"]);
  CHECK((*message)["session"]["state"] == "running");

  // 50 clients, one upstream stream from the gateway to the session service.
  std::vector<std::unique_ptr<WsReader>> crowd;
  for (int i = 0; i < 48; ++i) {
    crowd.push_back(
        std::make_unique<WsReader>(port, "/api/v1/ws/sessions", StreamClient(alice.token)));
    const auto joined = crowd.back()->Next();
    REQUIRE(joined);
    CHECK((*joined)["type"] == "snapshot");
    CHECK((*joined)["sessions"].size() == 2);
  }
  CHECK(stack.Metric("session", 0, "session_watch_streams") == 1);

  CHECK_FALSE(bob_ws.Next(std::chrono::seconds(2)));
}

TEST_CASE("two replicas answer, share config and activity", "[replicas]") {
  PlatformStack stack(SessionPlatform(2));
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  const Session admin = stack.LoginAdmin();
  auto api = stack.Api();
  const std::string id = CreateSession(api, alice.token)["name"];

  std::vector<std::unique_ptr<pb::SessionService::Stub>> replicas;
  for (int i = 0; i < 2; ++i)
    replicas.push_back(pb::SessionService::NewStub(stack.Channel("session", i)));
  for (auto& replica : replicas) {
    CHECK(Eventually([&] {
      pb::GetSessionRequest request;
      request.set_name(id);
      pb::Session session;
      auto context = Context(alice.token);
      return replica->GetSession(context.get(), request, &session).ok() && session.name() == id;
    }));
  }

  // A config change made on replica 0 shows on replica 1.
  pb::UpdateConfigRequest update;
  update.set_ingress_domain("apps.example.org");
  pb::PlatformConfig config;
  auto change = Context(admin.token);
  REQUIRE(replicas[0]->UpdateConfig(change.get(), update, &config).ok());
  CHECK(Eventually([&] {
    auto context = Context(admin.token);
    pb::PlatformConfig seen;
    return replicas[1]->GetConfig(context.get(), pb::GetConfigRequest(), &seen).ok() &&
           seen.ingress_domain() == "apps.example.org";
  }));

  // Activity reported to replica 1 shows on replica 0.
  pb::ReportActivityRequest report;
  report.set_session_id(id);
  report.set_active_connections(3);
  report.set_last_activity("2026-11-27T01:00:00Z");
  pb::ReportActivityResponse reported;
  auto as_service = Context(stack.ServiceToken("tracker"));
  REQUIRE(replicas[1]->ReportActivity(as_service.get(), report, &reported).ok());
  CHECK(Eventually([&] {
    pb::GetSessionRequest request;
    request.set_name(id);
    pb::Session session;
    auto context = Context(alice.token);
    return replicas[0]->GetSession(context.get(), request, &session).ok() &&
           session.active_connections() == 3;
  }));
  // status.lastActivity is written to the resource.
  CHECK(Eventually([&] {
    const auto [status, value] =
        stack.Kubectl("-n streamspace get ss " + id + " -o jsonpath='{.status.lastActivity}'");
    return status == 0 && value == "2026-11-27T01:00:00Z";
  }));
}

}  // namespace ss::test
