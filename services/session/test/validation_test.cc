#include "validation.h"

#include <catch2/catch.hpp>

namespace ss::session {

namespace {
bool Ok(const grpc::Status& status) {
  return status.ok();
}
grpc::StatusCode Code(const grpc::Status& status) {
  return status.error_code();
}
}  // namespace

TEST_CASE("cpu and memory: malformed, negative, zero and absurd values are refused") {
  CHECK(Ok(CheckCpu("resources.cpu", "500m")));
  CHECK(Ok(CheckCpu("resources.cpu", "2")));
  CHECK(Code(CheckCpu("resources.cpu", "abc")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Code(CheckCpu("resources.cpu", "-1")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Code(CheckCpu("resources.cpu", "0")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Code(CheckCpu("resources.cpu", "100000")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Code(CheckCpu("resources.cpu", "1n")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Ok(CheckMemory("resources.memory", "2Gi")));
  CHECK(Ok(CheckMemory("resources.memory", "512Mi")));
  CHECK_FALSE(Ok(CheckMemory("resources.memory", "-2Gi")));
  CHECK_FALSE(Ok(CheckMemory("resources.memory", "0")));
  CHECK_FALSE(Ok(CheckMemory("resources.memory", "1")));
  CHECK_FALSE(Ok(CheckMemory("resources.memory", "1Ei")));
  CHECK_THAT(CheckMemory("resources.memory", "abc").error_message(),
             Catch::Contains("resources.memory"));
  CHECK(Ok(CheckStorageSize("homeSize", "10Gi")));
  CHECK_FALSE(Ok(CheckStorageSize("homeSize", "10")));
}

TEST_CASE("the bounds of cpu, memory and volume sizes are inclusive, exactly") {
  CHECK(Ok(CheckCpu("resources.cpu", "1m")));
  CHECK(Ok(CheckCpu("resources.cpu", "0.001")));
  CHECK(Ok(CheckCpu("resources.cpu", "256")));
  CHECK(Ok(CheckCpu("resources.cpu", "256000m")));
  CHECK_FALSE(Ok(CheckCpu("resources.cpu", "256001m")));
  CHECK(Ok(CheckMemory("resources.memory", "1Mi")));
  CHECK(Ok(CheckMemory("resources.memory", "1048576")));
  CHECK(Ok(CheckMemory("resources.memory", "1Ti")));
  CHECK_FALSE(Ok(CheckMemory("resources.memory", "1048575")));
  CHECK(Ok(CheckStorageSize("homeSize", "64Ti")));
}

TEST_CASE("durations are Go-style, from 1s to 8760h") {
  CHECK(ParseSessionDuration("30m") == std::chrono::minutes(30));
  CHECK(ParseSessionDuration("8h") == std::chrono::hours(8));
  CHECK(ParseSessionDuration("1h30m") == std::chrono::minutes(90));
  CHECK(ParseSessionDuration("90s") == std::chrono::seconds(90));
  CHECK_FALSE(ParseSessionDuration("forever"));
  CHECK_FALSE(ParseSessionDuration("-5m"));
  CHECK_FALSE(ParseSessionDuration("0s"));
  CHECK_FALSE(ParseSessionDuration("500ms"));
  CHECK_FALSE(ParseSessionDuration("8761h"));
  CHECK_FALSE(ParseSessionDuration(""));
  CHECK(Code(CheckDuration("idleTimeout", "forever")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(CheckDuration("idleTimeout", "forever").error_message(),
             Catch::Contains("idleTimeout"));
}

TEST_CASE("tags: at most 20, each 1-63 characters of a plain charset") {
  CHECK(Ok(CheckTags({})));
  CHECK(Ok(CheckTags({"dev", "team-a", "v1.2_x"})));
  CHECK(Ok(CheckTags(std::vector<std::string>(20, "t"))));
  CHECK_FALSE(Ok(CheckTags(std::vector<std::string>(21, "t"))));
  CHECK(Ok(CheckTags({std::string(63, 'a')})));
  CHECK_FALSE(Ok(CheckTags({std::string(64, 'a')})));
  CHECK_FALSE(Ok(CheckTags({""})));
  CHECK_FALSE(Ok(CheckTags({"a b"})));
  CHECK_FALSE(Ok(CheckTags({"<script>"})));
}

TEST_CASE("template names, domains and class names") {
  CHECK(Ok(CheckTemplateName("firefox")));
  CHECK(Ok(CheckTemplateName("vs.code")));
  CHECK_FALSE(Ok(CheckTemplateName("")));
  CHECK_FALSE(Ok(CheckTemplateName("../secrets")));
  CHECK_FALSE(Ok(CheckTemplateName("Firefox")));
  CHECK(Ok(CheckDomain("ingressDomain", "apps.example.org")));
  CHECK_FALSE(Ok(CheckDomain("ingressDomain", "")));
  CHECK_FALSE(Ok(CheckDomain("ingressDomain", "https://x")));
  CHECK(Ok(CheckClassName("storageClass", "")));
  CHECK(Ok(CheckClassName("storageClass", "fast-ssd")));
  CHECK_FALSE(Ok(CheckClassName("storageClass", "Fast SSD")));
}

TEST_CASE("state transitions: running <-> hibernated, any -> terminated") {
  CHECK(Ok(CheckTransition("running", "hibernated")));
  CHECK(Ok(CheckTransition("hibernated", "running")));
  CHECK(Ok(CheckTransition("running", "terminated")));
  CHECK(Ok(CheckTransition("hibernated", "terminated")));
  CHECK(Ok(CheckTransition("running", "running")));
  CHECK(Ok(CheckTransition("terminated", "terminated")));
  CHECK(Code(CheckTransition("terminated", "running")) == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(Code(CheckTransition("terminated", "hibernated")) == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(Code(CheckTransition("running", "paused")) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Code(CheckTransition("running", "")) == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("page sizes and tokens") {
  int size = 0;
  CHECK(Ok(rpc::CheckPageSize(0, &size)));
  CHECK(size == 50);
  CHECK(Ok(rpc::CheckPageSize(500, &size)));
  CHECK(size == 500);
  CHECK_FALSE(Ok(rpc::CheckPageSize(501, &size)));
  CHECK_FALSE(Ok(rpc::CheckPageSize(-1, &size)));

  std::optional<PageCursor> cursor;
  REQUIRE(DecodePageToken("", &cursor));
  CHECK_FALSE(cursor);
  const std::string token =
      EncodePageToken(PageCursor{"2026-11-27T01:00:00Z", "alice-firefox-0123abcd"});
  REQUIRE(DecodePageToken(token, &cursor));
  REQUIRE(cursor);
  CHECK(cursor->created_at == "2026-11-27T01:00:00Z");
  CHECK(cursor->id == "alice-firefox-0123abcd");
  CHECK_FALSE(DecodePageToken("not a token!", &cursor));
  CHECK_FALSE(DecodePageToken("YWJj", &cursor));
}

}  // namespace ss::session
