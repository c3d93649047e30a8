#include "core/log.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/config.h"

namespace {

// Runs `log` with stderr redirected and returns what it wrote.
template <typename Fn>
std::string CaptureStderr(Fn&& log) {
  std::FILE* capture = std::tmpfile();
  std::fflush(stderr);
  const int saved = dup(2);
  dup2(fileno(capture), 2);
  log();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::rewind(capture);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, capture)) > 0)
    text.append(buffer, n);
  std::fclose(capture);
  return text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("JSON lines carry ts, level, process, request id and an escaped message") {
  ss::core::SetupLogging("auth \"svc\" 100%", "info", "json");
  const auto text = CaptureStderr([] {
    spdlog::info("plain");
    ss::core::RequestIdScope scope("req-123");
    spdlog::warn("quote \" backslash \\ newline \n ctl \x01 bad \xff {}", 42);
    spdlog::debug("below the level");
  });
  const auto lines = Lines(text);
  REQUIRE(lines.size() == 2);
  const auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["level"] == "info");
  CHECK(first["process"] == "auth \"svc\" 100%");
  CHECK(first["requestId"] == "-");
  CHECK(first["msg"] == "plain");
  CHECK(std::string(first["ts"]).size() == std::string("2026-01-01T00:00:00.000Z").size());
  const auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["level"] == "warning");
  CHECK(second["requestId"] == "req-123");
  CHECK(second["msg"] == "quote \" backslash \\ newline \n ctl \x01 bad \xef\xbf\xbd 42");
}

TEST_CASE("text lines carry the request id of the thread") {
  ss::core::SetupLogging("gateway", "debug", "text");
  const auto text = CaptureStderr([] {
    ss::core::RequestIdScope scope("abc");
    spdlog::debug("hello");
    std::thread([] { spdlog::info("other thread"); }).join();
  });
  const auto lines = Lines(text);
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::EndsWith("debug gateway [abc] hello"));
  CHECK_THAT(lines[1], Catch::EndsWith("info gateway [-] other thread"));
  CHECK(lines[0][10] == 'T');
}

TEST_CASE("bad level or format is a configuration error") {
  CHECK_THROWS_AS(ss::core::SetupLogging("x", "verbose", "text"), ss::core::ConfigError);
  CHECK_THROWS_AS(ss::core::SetupLogging("x", "info", "xml"), ss::core::ConfigError);
}

TEST_CASE("RequestIdScope nests and restores") {
  CHECK(ss::core::CurrentRequestId() == "-");
  {
    ss::core::RequestIdScope outer("outer");
    {
      ss::core::RequestIdScope inner("inner");
      CHECK(ss::core::CurrentRequestId() == "inner");
    }
    CHECK(ss::core::CurrentRequestId() == "outer");
  }
  CHECK(ss::core::CurrentRequestId() == "-");
}

TEST_CASE("NewRequestId gives 16 fresh hex characters") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = ss::core::NewRequestId();
    REQUIRE(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}
