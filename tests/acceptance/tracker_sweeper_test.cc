// Issue 4 acceptance of the tracker's sweeper, with short timeouts against a fake session
// service: heartbeats keep a session alive; without them its connection goes stale and the
// session hibernates after an `idle` warning; past its maximum duration it is terminated after a
// `max-duration` warning, and its connections are deleted after their retention; with two replicas
// one sweeps, and when it dies the other takes over.
#include <catch2/catch.hpp>
#include <thread>

#include "tracker_support.h"

namespace ss::test {
namespace {

namespace pb = streamspace::tracker::v1;
using std::chrono::seconds;

// Heartbeats every 300 ms for `duration`; each must succeed.
void KeepAlive(TrackerClient& client, const std::string& session_id,
               const std::string& connection_id, std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    const grpc::Status status = client.Heartbeat(session_id, connection_id);
    INFO(status.error_message());
    REQUIRE(status.ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
}

double Sweeps(PlatformStack& stack, int index) {
  return stack.Metric("tracker", index, "tracker_sweeps_total");
}

}  // namespace

TEST_CASE("heartbeats keep a session up; without them it goes stale, then hibernates", "[stale]") {
  FakeSessionService sessions;
  const std::string used = "alice-firefox-00000001";
  const std::string unused = "alice-firefox-00000002";
  sessions.Put(MakeSession(used, "alice", "8s", ""));
  PlatformStack stack(TrackerPlatform(sessions));
  const std::string alice = NewUserToken(stack, "alice");
  TrackerClient service(stack.Channel("tracker"), stack.ServiceToken("tracker"));
  TrackerClient client(stack.Channel("tracker"), alice);

  const pb::Connection connection = service.Connect(used, "alice", "8s");
  // Longer than STALE_AFTER + idle timeout: the heartbeats alone keep it running.
  KeepAlive(client, used, connection.id(), seconds(14));
  CHECK(sessions.Calls("update", used).empty());
  CHECK(client.StateOf(used, connection.id()) == "active");

  // A session nobody ever connects to hibernates its idle timeout after it was created.
  sessions.Put(MakeSession(unused, "alice", "3s", ""));

  // Silence: the connection goes stale; a heartbeat brings it back.
  REQUIRE(
      Eventually([&] { return client.StateOf(used, connection.id()) == "stale"; }, seconds(30)));
  pb::HeartbeatResponse beat;
  REQUIRE(client.Heartbeat(used, connection.id(), &beat).ok());
  CHECK(beat.active_connections() == 1);
  CHECK(beat.idle_seconds_left() == 10);
  CHECK(client.StateOf(used, connection.id()) == "active");
  CHECK(Eventually([&] {
    const auto reports = sessions.Calls("activity", used);
    return !reports.empty() && reports.back().number == 1;
  }));

  // Silence again: stale, an `idle` warning, then hibernation; the connection is closed.
  REQUIRE(Eventually([&] { return !sessions.Calls("update", used).empty(); }, seconds(60)));
  const auto calls = sessions.Calls();
  const int warned = IndexOf(calls, "notify", used, "idle");
  const int hibernated = IndexOf(calls, "update", used, "hibernated");
  CHECK(warned >= 0);
  CHECK(hibernated > warned);
  CHECK(sessions.Calls("update", used).size() == 1);
  CHECK(sessions.Get(used).state() == "hibernated");
  CHECK(Eventually([&] { return client.StateOf(used, connection.id()) == "closed"; }));
  CHECK(client.Heartbeat(used, connection.id()).error_code() == grpc::StatusCode::NOT_FOUND);

  REQUIRE(Eventually([&] { return sessions.Get(unused).state() == "hibernated"; }, seconds(30)));
  CHECK(IndexOf(sessions.Calls(), "notify", unused, "idle") >= 0);
  CHECK(sessions.refused() == 0);
  // Nothing happens twice, however many sweeps follow.
  const double sweeps = Sweeps(stack, 0);
  REQUIRE(Eventually([&] { return Sweeps(stack, 0) >= sweeps + 3; }, seconds(30)));
  CHECK(sessions.Calls("update", used).size() == 1);
  CHECK(sessions.Calls("notify", used).size() == 1);
}

TEST_CASE("past its maximum duration a session is terminated, even while used", "[max-duration]") {
  FakeSessionService sessions;
  const std::string id = "alice-vscode-00000003";
  sessions.Put(MakeSession(id, "alice", "1h", "8s"));
  TrackerTimings timings;
  timings.retention = "5s";
  PlatformStack stack(TrackerPlatform(sessions, 1, timings));
  const std::string alice = NewUserToken(stack, "alice");
  TrackerClient service(stack.Channel("tracker"), stack.ServiceToken("tracker"));
  TrackerClient client(stack.Channel("tracker"), alice);
  const pb::Connection connection = service.Connect(id, "alice", "1h");

  REQUIRE(Eventually(
      [&] {
        client.Heartbeat(id, connection.id());
        return !sessions.Calls("update", id).empty();
      },
      seconds(60)));
  const auto calls = sessions.Calls();
  const int warned = IndexOf(calls, "notify", id, "max-duration");
  const int terminated = IndexOf(calls, "update", id, "terminated");
  CHECK(warned >= 0);
  CHECK(terminated > warned);
  CHECK(IndexOf(calls, "notify", id, "idle") == -1);
  CHECK(sessions.Get(id).state() == "terminated");
  CHECK(Eventually([&] { return client.StateOf(id, connection.id()) == "closed"; }));
  CHECK(client.Heartbeat(id, connection.id()).error_code() == grpc::StatusCode::NOT_FOUND);
  // CONNECTION_RETENTION after it ended, the connection is deleted.
  pb::ListConnectionsResponse listed;
  CHECK(Eventually(
      [&] {
        listed.Clear();
        return service.List(id, &listed).ok() && listed.total() == 0;
      },
      seconds(30)));
}

TEST_CASE("two tracker replicas: one sweeps; when it dies, the other takes over", "[replicas]") {
  FakeSessionService sessions;
  PlatformStack stack(TrackerPlatform(sessions, 2));

  int leader = -1;
  REQUIRE(Eventually(
      [&] {
        const double first = Sweeps(stack, 0), second = Sweeps(stack, 1);
        if (first >= 2 && second <= 0)
          leader = 0;
        if (second >= 2 && first <= 0)
          leader = 1;
        return leader >= 0;
      },
      seconds(30)));
  const int follower = 1 - leader;
  const double before = Sweeps(stack, leader);
  REQUIRE(Eventually([&] { return Sweeps(stack, leader) >= before + 3; }, seconds(30)));
  CHECK(Sweeps(stack, follower) <= 0);
  CHECK(stack.Metric("tracker", leader, "tracker_sweeper_leader") == 1);
  CHECK(stack.Metric("tracker", follower, "tracker_sweeper_leader") == 0);

  // The sessions are swept once, by the leader.
  const std::string first = "bob-gimp-00000004";
  sessions.Put(MakeSession(first, "bob", "2s", ""));
  REQUIRE(Eventually([&] { return sessions.Get(first).state() == "hibernated"; }, seconds(30)));

  stack.StopService("tracker", leader, true);
  REQUIRE(Eventually([&] { return Sweeps(stack, follower) >= 1; }, seconds(30)));
  CHECK(stack.Metric("tracker", follower, "tracker_sweeper_leader") == 1);
  const std::string second = "bob-gimp-00000005";
  sessions.Put(MakeSession(second, "bob", "2s", ""));
  REQUIRE(Eventually([&] { return sessions.Get(second).state() == "hibernated"; }, seconds(30)));
  CHECK(sessions.Calls("update", first).size() == 1);
  CHECK(sessions.Calls("update", second).size() == 1);
  CHECK(sessions.refused() == 0);
}

}  // namespace ss::test
