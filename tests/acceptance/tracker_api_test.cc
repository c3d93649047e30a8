// Issue 4 acceptance of the tracker's API: connections recorded by the session service (here a
// service token), heartbeats, disconnects and lists through the gateway, ownership (another
// user's session answers 404), paging, bad input, and the activity reports it sends.
#include <catch2/catch.hpp>

#include "tracker_support.h"

namespace ss::test {
namespace {

namespace pb = streamspace::tracker::v1;

const std::string kSession = "alice-firefox-0a1b2c3d";
const std::string kIdle = "alice-gimp-0a1b2c3d";

std::string Route(const std::string& session_id, const std::string& action) {
  return "/api/v1/sessions/" + session_id + "/" + action;
}

void RequireStatus(const HttpResponse& response, int http_status, int code) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == http_status);
  CHECK(IsStatusBody(response, code));
}

// The active-connection count of the last activity report about the session (-1: none yet).
int64_t LastReported(FakeSessionService& sessions, const std::string& session_id) {
  const auto reports = sessions.Calls("activity", session_id);
  return reports.empty() ? -1 : reports.back().number;
}

}  // namespace

TEST_CASE("connections: record, heartbeat, list, disconnect; others see 404", "[connections]") {
  FakeSessionService sessions;
  sessions.Put(MakeSession(kSession, "alice", "30m", "8h"));
  TrackerTimings timings;
  timings.stale_after = "60s";
  PlatformStack stack(TrackerPlatform(sessions, 1, timings, true));
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  const Session admin = stack.LoginAdmin();
  TrackerClient service(stack.Channel("tracker"), stack.ServiceToken("tracker"));
  auto api = stack.Api();

  // Only a service records connections.
  pb::Connection refused;
  TrackerClient as_alice(stack.Channel("tracker"), alice.token);
  CHECK(as_alice.Record(kSession, "alice", "30m", &refused).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  const pb::Connection first = service.Connect(kSession, "Alice", "30m");
  CHECK(first.user() == "alice");
  CHECK(first.state() == "active");
  CHECK(first.session_id() == kSession);
  CHECK(first.client_address() == "203.0.113.7");
  CHECK(first.id().size() == 36);
  CHECK(Eventually([&] { return LastReported(sessions, kSession) == 1; }));

  SECTION("heartbeats answer the idle time left and the active connections") {
    const auto beat =
        api.Post(Route(kSession, "heartbeat?connectionId=" + first.id()), "", alice.token);
    INFO(beat.body);
    REQUIRE(beat.status == 200);
    // int64 travels as a string in canonical proto JSON.
    CHECK(beat.Json()["idleSecondsLeft"] == std::to_string(30 * 60 + 60));
    CHECK(beat.Json()["activeConnections"] == 1);
    // Without a connection id: all of the caller's connections.
    const auto all = api.Post(Route(kSession, "heartbeat"), "", alice.token);
    REQUIRE(all.status == 200);
    CHECK(all.Json()["activeConnections"] == 1);
    // An admin reaches every session.
    CHECK(api.Post(Route(kSession, "heartbeat"), "", admin.token).status == 200);
  }

  SECTION("another user's session answers 404 everywhere, with the standard body") {
    const std::string with_id = "?connectionId=" + first.id();
    RequireStatus(api.Post(Route(kSession, "heartbeat" + with_id), "", bob.token), 404, 5);
    RequireStatus(api.Post(Route(kSession, "heartbeat"), "", bob.token), 404, 5);
    RequireStatus(api.Post(Route(kSession, "disconnect" + with_id), "", bob.token), 404, 5);
    RequireStatus(api.Post(Route(kSession, "disconnect"), "", bob.token), 404, 5);
    RequireStatus(api.Get(Route(kSession, "connections"), bob.token), 404, 5);
    // A session that does not exist looks the same to a user; an admin gets an empty list.
    RequireStatus(api.Get(Route("no-such-session", "connections"), bob.token), 404, 5);
    RequireStatus(api.Get(Route("no-such-session", "connections"), alice.token), 404, 5);
    const auto none = api.Get(Route("no-such-session", "connections"), admin.token);
    REQUIRE(none.status == 200);
    CHECK(none.Json().value("total", 0) == 0);
    // The owner of a session without connections gets an empty list (the session service
    // says who owns it); nobody else does.
    sessions.Put(MakeSession(kIdle, "alice", "30m", "8h"));
    const auto empty = api.Get(Route(kIdle, "connections"), alice.token);
    INFO(empty.body);
    REQUIRE(empty.status == 200);
    CHECK(empty.Json().value("total", -1) == 0);
    RequireStatus(api.Get(Route(kIdle, "connections"), bob.token), 404, 5);
    // Nothing changed for alice.
    CHECK(service.StateOf(kSession, first.id()) == "active");
    // No token at all: 401.
    CHECK(api.Post(Route(kSession, "heartbeat"), "").status == 401);
  }

  SECTION("bad ids and unknown connections") {
    RequireStatus(api.Post(Route("Not_A_Session", "heartbeat"), "", alice.token), 400, 3);
    RequireStatus(api.Post(Route(kSession, "heartbeat?connectionId=123"), "", alice.token), 400, 3);
    RequireStatus(
        api.Post(Route(kSession, "disconnect?connectionId=%27%20OR%201%3D1%20--"), "", alice.token),
        400, 3);
    RequireStatus(api.Get(Route(kSession, "connections?pageSize=501"), alice.token), 400, 3);
    RequireStatus(api.Get(Route(kSession, "connections?pageToken=bogus"), alice.token), 400, 3);
    RequireStatus(
        api.Post(Route(kSession, "heartbeat?connectionId=0f8fad5b-d9cb-469f-a165-70867728950e"), "",
                 alice.token),
        404, 5);
    pb::Connection bad;
    CHECK(service.Record(kSession, "alice", "forever", &bad).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(service.Record("x_y", "alice", "30m", &bad).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(service.Record(kSession, "not a user", "30m", &bad).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
  }

  SECTION("lists page through the caller's connections; disconnects close them") {
    for (int i = 0; i < 3; ++i)
      service.Connect(kSession, "alice", "30m");
    const auto page1 = api.Get(Route(kSession, "connections?pageSize=3"), alice.token);
    INFO(page1.body);
    REQUIRE(page1.status == 200);
    CHECK(page1.Json()["total"] == 4);
    REQUIRE(page1.Json()["connections"].size() == 3);
    CHECK(page1.Json()["connections"][0]["id"] == first.id());
    CHECK(page1.Json()["connections"][0]["userAgent"] == "tracker-acceptance/1.0");
    const std::string token = page1.Json()["nextPageToken"];
    const auto page2 =
        api.Get(Route(kSession, "connections?pageSize=3&pageToken=" + token), alice.token);
    REQUIRE(page2.status == 200);
    REQUIRE(page2.Json()["connections"].size() == 1);
    CHECK(page2.Json().value("nextPageToken", "").empty());
    CHECK(Eventually([&] { return LastReported(sessions, kSession) == 4; }));

    const auto one =
        api.Post(Route(kSession, "disconnect?connectionId=" + first.id()), "", alice.token);
    REQUIRE(one.status == 200);
    CHECK(one.Json()["activeConnections"] == 3);
    CHECK(service.StateOf(kSession, first.id()) == "closed");
    // A closed connection takes no heartbeat.
    RequireStatus(
        api.Post(Route(kSession, "heartbeat?connectionId=" + first.id()), "", alice.token), 404, 5);
    const auto rest = api.Post(Route(kSession, "disconnect"), "", alice.token);
    REQUIRE(rest.status == 200);
    CHECK(rest.Json().value("activeConnections", 0) == 0);
    RequireStatus(api.Post(Route(kSession, "heartbeat"), "", alice.token), 404, 5);
    CHECK(Eventually([&] { return LastReported(sessions, kSession) == 0; }));
    CHECK_FALSE(sessions.Calls("activity", kSession).back().value.empty());
    // The admin sees them all, closed.
    const auto listed = api.Get(Route(kSession, "connections"), admin.token);
    REQUIRE(listed.status == 200);
    CHECK(listed.Json()["total"] == 4);
    for (const auto& connection : listed.Json()["connections"])
      CHECK(connection["state"] == "closed");
  }

  SECTION("CloseSession ends every connection (a service only)") {
    service.Connect(kSession, "alice", "30m");
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + alice.token);
    pb::CloseSessionRequest request;
    request.set_session_id(kSession);
    pb::CloseSessionResponse response;
    auto stub = pb::TrackerService::NewStub(stack.Channel("tracker"));
    CHECK(stub->CloseSession(&context, request, &response).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
    grpc::ClientContext as_service;
    as_service.AddMetadata("authorization", "Bearer " + stack.ServiceToken("tracker"));
    REQUIRE(stub->CloseSession(&as_service, request, &response).ok());
    CHECK(service.StateOf(kSession, first.id()) == "closed");
    CHECK(Eventually([&] { return LastReported(sessions, kSession) == 0; }));
  }
  CHECK(sessions.refused() == 0);
}

}  // namespace ss::test
