#include "activity_reporter.h"

#include <catch2/catch.hpp>
#include <map>
#include <mutex>

namespace ss::tracker {
namespace {

namespace pb = streamspace::session::v1;

// Records reports; answers with the queued statuses first, then OK. The first report can be
// held until released, so that changes pile up behind it.
class FakePeer final : public SessionPeer {
 public:
  grpc::Status ListSessions(const pb::ListSessionsRequest&, pb::ListSessionsResponse*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
  }
  grpc::Status GetSession(const std::string&, pb::Session*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
  }
  grpc::Status SetState(const std::string&, const std::string&) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
  }
  grpc::Status Notify(const pb::NotifySessionRequest&) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
  }
  grpc::Status ReportActivity(const pb::ReportActivityRequest& request) override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !hold_; });
    reports_.push_back(request);
    if (!statuses_.empty()) {
      grpc::Status status = statuses_.front();
      statuses_.erase(statuses_.begin());
      return status;
    }
    return grpc::Status::OK;
  }

  void Hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      hold_ = false;
    }
    released_.notify_all();
  }
  void Answer(grpc::Status status) {
    std::lock_guard lock(mutex_);
    statuses_.push_back(std::move(status));
  }
  std::vector<pb::ReportActivityRequest> reports() {
    std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool hold_ = false;
  std::vector<grpc::Status> statuses_;
  std::vector<pb::ReportActivityRequest> reports_;
};

// The "database": active connections per session, changed by the test.
struct Counts {
  std::mutex mutex;
  std::map<std::string, int> active;

  ActivityReporter::ReadActivity Reader() {
    return [this](const std::string& session_id) {
      std::lock_guard lock(mutex);
      pb::ReportActivityRequest request;
      request.set_session_id(session_id);
      request.set_active_connections(active[session_id]);
      return std::optional<pb::ReportActivityRequest>(request);
    };
  }
  void Set(const std::string& session_id, int count) {
    std::lock_guard lock(mutex);
    active[session_id] = count;
  }
};

}  // namespace

TEST_CASE("a burst of changes makes few reports, the last with the current numbers") {
  auto peer = std::make_shared<FakePeer>();
  Counts counts;
  ActivityReporter reporter(peer, counts.Reader(), std::chrono::milliseconds(10));
  peer->Hold();
  counts.Set("s1", 1);
  reporter.Changed("s1");
  for (int i = 2; i <= 100; ++i) {
    counts.Set("s1", i);
    reporter.Changed("s1");
  }
  peer->Release();
  REQUIRE(reporter.WaitIdle(std::chrono::seconds(10)));
  const auto reports = peer->reports();
  REQUIRE(!reports.empty());
  CHECK(reports.size() <= 2);
  CHECK(reports.back().session_id() == "s1");
  CHECK(reports.back().active_connections() == 100);
}

TEST_CASE("each changed session is reported") {
  auto peer = std::make_shared<FakePeer>();
  Counts counts;
  ActivityReporter reporter(peer, counts.Reader(), std::chrono::milliseconds(10));
  counts.Set("a", 1);
  counts.Set("b", 2);
  reporter.Changed("a");
  reporter.Changed("b");
  REQUIRE(reporter.WaitIdle(std::chrono::seconds(10)));
  std::map<std::string, int> seen;
  for (const auto& report : peer->reports())
    seen[report.session_id()] = report.active_connections();
  CHECK(seen == std::map<std::string, int>{{"a", 1}, {"b", 2}});
}

TEST_CASE("a report that fails for a passing reason is retried; a refused one is not") {
  auto peer = std::make_shared<FakePeer>();
  Counts counts;
  ActivityReporter reporter(peer, counts.Reader(), std::chrono::milliseconds(10));
  peer->Answer(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"));
  peer->Answer(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"));
  reporter.Changed("s1");
  REQUIRE(reporter.WaitIdle(std::chrono::seconds(10)));
  CHECK(peer->reports().size() == 3);

  peer->Answer(grpc::Status(grpc::StatusCode::NOT_FOUND, "gone"));
  reporter.Changed("gone");
  REQUIRE(reporter.WaitIdle(std::chrono::seconds(10)));
  CHECK(peer->reports().size() == 4);
}

TEST_CASE("an activity that cannot be read is retried") {
  auto peer = std::make_shared<FakePeer>();
  int failures = 2;
  std::mutex mutex;
  ActivityReporter reporter(
      peer,
      [&](const std::string& session_id) -> std::optional<pb::ReportActivityRequest> {
        std::lock_guard lock(mutex);
        if (failures-- > 0)
          throw std::runtime_error("database unavailable");
        pb::ReportActivityRequest request;
        request.set_session_id(session_id);
        return request;
      },
      std::chrono::milliseconds(10));
  reporter.Changed("s1");
  REQUIRE(reporter.WaitIdle(std::chrono::seconds(10)));
  CHECK(peer->reports().size() == 1);
}

}  // namespace ss::tracker
