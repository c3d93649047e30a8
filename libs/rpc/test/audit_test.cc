#include "rpc/audit.h"

#include <catch2/catch.hpp>
#include <thread>

namespace {

namespace pb = streamspace::auth::v1;
using namespace std::chrono_literals;

// Remembers what it was given; fails while `down`.
class FakeSink final : public ss::rpc::AuditSink {
 public:
  grpc::Status Write(const std::vector<pb::AuditEvent>& events) override {
    std::lock_guard lock(mutex);
    ++writes;
    if (down)
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
    written.insert(written.end(), events.begin(), events.end());
    return grpc::Status::OK;
  }
  std::size_t Count() {
    std::lock_guard lock(mutex);
    return written.size();
  }

  std::mutex mutex;
  bool down = false;
  int writes = 0;
  std::vector<pb::AuditEvent> written;
};

pb::AuditEvent Event(const std::string& id, const std::string& outcome) {
  ss::rpc::Principal who;
  who.username = "alice";
  auto event = ss::rpc::NewAuditEvent("session", "CreateSession", who, "template=firefox", "a");
  event.set_id(id);
  event.set_outcome(outcome);
  return event;
}

bool Eventually(const std::function<bool()>& probe) {
  for (int i = 0; i < 200; ++i) {
    if (probe())
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return probe();
}

}  // namespace

TEST_CASE("Begin writes at once and reports a failure; outcomes follow in batches") {
  auto sink = std::make_shared<FakeSink>();
  ss::rpc::AuditorOptions options;
  options.batch_delay = 20ms;
  options.retry_delay = 20ms;
  ss::rpc::Auditor auditor(sink, options);
  const pb::AuditEvent event = Event("e1", "pending");
  CHECK(event.time().size() == 24);
  CHECK(event.username() == "alice");
  CHECK(event.id() == "e1");

  REQUIRE(auditor.Begin(event).ok());
  CHECK(sink->Count() == 1);
  {
    std::lock_guard lock(sink->mutex);
    sink->down = true;
  }
  CHECK(auditor.Begin(Event("e2", "pending")).error_code() == grpc::StatusCode::UNAVAILABLE);

  // Outcomes queued while the sink is down arrive once it is back, none lost.
  for (int i = 0; i < 10; ++i)
    auditor.Finish(Event("o" + std::to_string(i), "ok"));
  std::this_thread::sleep_for(100ms);
  {
    std::lock_guard lock(sink->mutex);
    CHECK(sink->written.size() == 1);
    CHECK(sink->writes > 2);
    sink->down = false;
  }
  CHECK(Eventually([&] { return sink->Count() == 11; }));
}

TEST_CASE("the auditor sends what is queued before it stops") {
  auto sink = std::make_shared<FakeSink>();
  {
    ss::rpc::AuditorOptions options;
    options.batch_delay = 10s;
    ss::rpc::Auditor auditor(sink, options);
    for (int i = 0; i < 5; ++i)
      auditor.Finish(Event("o" + std::to_string(i), "failed"));
  }
  CHECK(sink->Count() == 5);
}

TEST_CASE("Begins that arrive while a write is in flight share the next write") {
  // A sink that takes a while per write, as a round trip to auth does.
  class SlowSink final : public ss::rpc::AuditSink {
   public:
    grpc::Status Write(const std::vector<pb::AuditEvent>& events) override {
      std::this_thread::sleep_for(20ms);
      std::lock_guard lock(mutex);
      ++writes;
      count += events.size();
      return grpc::Status::OK;
    }
    std::mutex mutex;
    int writes = 0;
    std::size_t count = 0;
  };
  auto sink = std::make_shared<SlowSink>();
  ss::rpc::Auditor auditor(sink);
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) {
    callers.emplace_back([&, i] {
      if (auditor.Begin(Event("b" + std::to_string(i), "pending")).ok())
        ++ok;
    });
  }
  for (std::thread& caller : callers)
    caller.join();
  CHECK(ok == 50);
  std::lock_guard lock(sink->mutex);
  CHECK(sink->count == 50);
  CHECK(sink->writes < 25);
}
