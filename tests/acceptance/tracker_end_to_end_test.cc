// Issue 4 acceptance of the tracker with the real session service, the emulator and the gateway:
// connect (GET /api/v1/sessions/{name}/connect) records a connection; heartbeats keep the session
// running; without them it goes stale and hibernates (Session spec.state, seen with kubectl)
// after a `warning` on WatchSessions; connect wakes it; past its maximum duration it is
// terminated; another user gets 404 on heartbeat, disconnect and connections.
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "platform_stack.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::test {
namespace {

namespace pb = streamspace::session::v1;
using nlohmann::json;
using std::chrono::seconds;

PlatformOptions EndToEndPlatform() {
  PlatformOptions options;
  options.services.push_back(ServiceSpec{"session",
                                         1,
                                         {{"LAST_ACTIVITY_INTERVAL", "1s"},
                                          {"ACTIVITY_POLL_INTERVAL", "200ms"},
                                          {"CONFIG_REFRESH", "500ms"}}});
  options.services.push_back(ServiceSpec{
      "tracker",
      1,
      {{"SWEEP_INTERVAL", "1s"}, {"STALE_AFTER", "2s"}, {"IDLE_WARNING_BEFORE", "3s"}}});
  return options;
}

std::string SessionPath(const std::string& id, const std::string& suffix = "") {
  return "/api/v1/sessions/" + id + suffix;
}

// Alice's WatchSessions events, read on a thread of their own until the watcher goes.
class EventLog {
 public:
  EventLog(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub_(pb::SessionService::NewStub(channel)) {
    context_.AddMetadata("authorization", "Bearer " + token);
    reader_ = stub_->WatchSessions(&context_, pb::WatchSessionsRequest());
    thread_ = std::thread([this] {
      pb::SessionEvent event;
      while (reader_->Read(&event)) {
        std::lock_guard lock(mutex_);
        events_.push_back(event);
      }
    });
  }
  ~EventLog() {
    context_.TryCancel();
    thread_.join();
  }

  // The position of the first event about `id` that matches, or -1.
  int Find(const std::string& id, const std::function<bool(const pb::SessionEvent&)>& match) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < events_.size(); ++i) {
      if (events_[i].session().name() == id && match(events_[i]))
        return static_cast<int>(i);
    }
    return -1;
  }

 private:
  std::unique_ptr<pb::SessionService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<pb::SessionEvent>> reader_;
  std::mutex mutex_;
  std::vector<pb::SessionEvent> events_;
  std::thread thread_;
};

bool Warning(const pb::SessionEvent& event, const std::string& reason) {
  return event.type() == "warning" && event.reason() == reason;
}

bool InState(const pb::SessionEvent& event, const std::string& state) {
  return event.type() == "modified" && event.session().state() == state;
}

std::string SpecState(PlatformStack& stack, const std::string& id) {
  return stack.Kubectl("-n streamspace get ss " + id + " -o jsonpath='{.spec.state}'").second;
}

// Heartbeats through the gateway every 300 ms for `duration`; each must answer 200.
void KeepAlive(HttpClient& api, const std::string& token, const std::string& id,
               const std::string& connection_id, std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    const auto beat =
        api.Post(SessionPath(id, "/heartbeat?connectionId=" + connection_id), "", token);
    INFO(beat.body);
    REQUIRE(beat.status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
}

}  // namespace

TEST_CASE("connect, heartbeats, stale, auto-hibernate, wake, max duration, end to end",
          "[end-to-end]") {
  PlatformStack stack(EndToEndPlatform());
  stack.Apply(TemplateYaml("firefox"));
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  auto api = stack.Api();
  EventLog events(stack.Channel("session"), alice.token);

  const auto created = api.Post(
      "/api/v1/sessions", json{{"template", "firefox"}, {"idleTimeout", "6s"}}.dump(), alice.token);
  INFO(created.body);
  REQUIRE(created.status == 200);
  const std::string id = created.Json()["name"];

  // Connect: the tracker records the connection; the session learns its count.
  const auto connected = api.Get(SessionPath(id, "/connect"), alice.token);
  INFO(connected.body);
  REQUIRE(connected.status == 200);
  const std::string connection_id = connected.Json()["connectionId"];
  const auto listed = api.Get(SessionPath(id, "/connections"), alice.token);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.Json()["connections"].size() == 1);
  CHECK(listed.Json()["connections"][0]["id"] == connection_id);
  CHECK(listed.Json()["connections"][0]["state"] == "active");
  CHECK(Eventually([&] {
    return api.Get(SessionPath(id), alice.token).Json().value("activeConnections", 0) == 1;
  }));

  // Another user: 404 with the standard body, and nothing changes.
  for (const auto& response :
       {api.Post(SessionPath(id, "/heartbeat?connectionId=" + connection_id), "", bob.token),
        api.Post(SessionPath(id, "/disconnect"), "", bob.token),
        api.Get(SessionPath(id, "/connections"), bob.token)}) {
    INFO(response.body);
    CHECK(response.status == 404);
    CHECK(IsStatusBody(response, 5));
  }

  // Heartbeats for longer than STALE_AFTER + idleTimeout keep it running.
  KeepAlive(api, alice.token, id, connection_id, seconds(12));
  CHECK(SpecState(stack, id) == "running");
  CHECK(events.Find(id, [](const auto& e) { return Warning(e, "idle"); }) == -1);

  // Silence: stale, an `idle` warning on the stream, then hibernation.
  REQUIRE(Eventually(
      [&] {
        const auto connections = api.Get(SessionPath(id, "/connections"), alice.token).Json();
        return connections["connections"][0].value("state", "") != "active";
      },
      seconds(30)));
  REQUIRE(Eventually([&] { return SpecState(stack, id) == "hibernated"; }, seconds(60)));
  CHECK(Eventually([&] {
    return events.Find(id, [](const auto& e) { return InState(e, "hibernated"); }) >= 0;
  }));
  const int warned = events.Find(id, [](const auto& e) { return Warning(e, "idle"); });
  const int hibernated = events.Find(id, [](const auto& e) { return InState(e, "hibernated"); });
  CHECK(warned >= 0);
  CHECK(warned < hibernated);
  const auto after =
      api.Post(SessionPath(id, "/heartbeat?connectionId=" + connection_id), "", alice.token);
  CHECK(after.status == 404);

  // Connect wakes it, with a new connection.
  const auto woken = api.Get(SessionPath(id, "/connect"), alice.token);
  REQUIRE(woken.status == 200);
  CHECK(woken.Json()["connectionId"] != connection_id);
  CHECK(SpecState(stack, id) == "running");

  // Past its maximum duration a session ends, heartbeats or not.
  const auto bounded = api.Post(
      "/api/v1/sessions",
      json{{"template", "firefox"}, {"idleTimeout", "1h"}, {"maxSessionDuration", "10s"}}.dump(),
      alice.token);
  REQUIRE(bounded.status == 200);
  const std::string short_id = bounded.Json()["name"];
  const auto short_connection = api.Get(SessionPath(short_id, "/connect"), alice.token);
  REQUIRE(short_connection.status == 200);
  const std::string short_connection_id = short_connection.Json()["connectionId"];
  REQUIRE(Eventually(
      [&] {
        api.Post(SessionPath(short_id, "/heartbeat?connectionId=" + short_connection_id), "",
                 alice.token);
        return SpecState(stack, short_id) == "terminated";
      },
      seconds(60)));
  CHECK(Eventually([&] {
    return events.Find(short_id, [](const auto& e) { return InState(e, "terminated"); }) >= 0;
  }));
  const int ending =
      events.Find(short_id, [](const auto& e) { return Warning(e, "max-duration"); });
  CHECK(ending >= 0);
  CHECK(ending < events.Find(
                     short_id, [](const auto& e) { return InState(e, "terminated"); }));
}

}  // namespace ss::test
