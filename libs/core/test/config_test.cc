#include "core/config.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

using ss::core::Config;
using ss::core::ConfigError;
using ss::core::ParseDuration;
using ss::core::Variable;
using namespace std::chrono_literals;

namespace {

std::vector<Variable> TestVariables() {
  return {
      {"SS_TEST_PORT", "9001", "Port to listen on."},
      {"SS_TEST_FLAG", "false", "A switch."},
      {"SS_TEST_TTL", "15m", "How long a thing lives."},
      {"SS_TEST_PASSWORD", "default-secret-value", "The password.", true},
      {"SS_TEST_EMPTY", "", "Empty by default."},
  };
}

struct ChildResult {
  int exit_code;
  std::string out;
  std::string err;
};

std::string ReadAll(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  return text;
}

// Config::Load exits on --help and on unknown arguments, so it runs in a child process.
ChildResult LoadInChild(std::vector<std::string> args) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    Config::Load("test-service", "Serves tests.", TestVariables(), static_cast<int>(args.size()),
                 argv.data());
    std::fflush(nullptr);
    _exit(100);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ChildResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(out), ReadAll(err)};
  std::fclose(out);
  std::fclose(err);
  return result;
}

}  // namespace

TEST_CASE("--help lists every variable with its default and hides secrets") {
  const auto result = LoadInChild({"test-service", "--help"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("test-service - Serves tests."));
  CHECK_THAT(result.out, Catch::Contains("SS_TEST_PORT (default: 9001)"));
  CHECK_THAT(result.out, Catch::Contains("Port to listen on."));
  CHECK_THAT(result.out, Catch::Contains("SS_TEST_TTL (default: 15m)"));
  CHECK_THAT(result.out, Catch::Contains("SS_TEST_PASSWORD (secret; or SS_TEST_PASSWORD_FILE"));
  CHECK_THAT(result.out, Catch::Contains("SS_TEST_EMPTY (default: empty)"));
  CHECK_THAT(result.out, !Catch::Contains("default-secret-value"));
}

TEST_CASE("an unknown argument exits 2 with a message") {
  const auto result = LoadInChild({"test-service", "--port=1"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown argument '--port=1'"));
}

TEST_CASE("Load reads the environment; unset and empty variables take their default") {
  setenv("SS_TEST_PORT", "7000", 1);
  setenv("SS_TEST_FLAG", "", 1);
  unsetenv("SS_TEST_TTL");
  char name[] = "test-service";
  char* argv[] = {name, nullptr};
  const auto config = Config::Load("test-service", "Serves tests.", TestVariables(), 1, argv);
  CHECK(config.GetInt("SS_TEST_PORT") == 7000);
  CHECK_FALSE(config.GetBool("SS_TEST_FLAG"));
  CHECK(config.GetDuration("SS_TEST_TTL") == 15min);
  unsetenv("SS_TEST_PORT");
  unsetenv("SS_TEST_FLAG");
}

TEST_CASE("a secret may come from the file its _FILE variable names; the variable itself wins") {
  char path[] = "/tmp/ss-config-test-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "from-file\n", 10) == 10);
  close(fd);
  setenv("SS_TEST_PASSWORD_FILE", path, 1);
  setenv("SS_TEST_PORT_FILE", path, 1);
  char name[] = "test-service";
  char* argv[] = {name, nullptr};
  const auto from_file = Config::Load("test-service", "Serves tests.", TestVariables(), 1, argv);
  CHECK(from_file.Get("SS_TEST_PASSWORD") == "from-file");
  CHECK(from_file.Get("SS_TEST_PORT") == "9001");
  setenv("SS_TEST_PASSWORD", "from-env", 1);
  CHECK(Config::Load("test-service", "Serves tests.", TestVariables(), 1, argv)
            .Get("SS_TEST_PASSWORD") == "from-env");
  unsetenv("SS_TEST_PASSWORD");
  unsetenv("SS_TEST_PORT_FILE");
  std::remove(path);

  const auto missing = LoadInChild({"test-service"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("SS_TEST_PASSWORD_FILE: cannot read"));
  unsetenv("SS_TEST_PASSWORD_FILE");
}

TEST_CASE("typed getters validate and name the variable") {
  const auto config = Config::FromValues(
      TestVariables(),
      {{"SS_TEST_PORT", "90x1"}, {"SS_TEST_FLAG", "maybe"}, {"SS_TEST_TTL", "5y"}});
  CHECK_THROWS_WITH(config.GetInt("SS_TEST_PORT"), Catch::Contains("SS_TEST_PORT"));
  CHECK_THROWS_AS(config.GetInt("SS_TEST_PORT"), ConfigError);
  CHECK_THROWS_WITH(config.GetBool("SS_TEST_FLAG"), Catch::Contains("SS_TEST_FLAG"));
  CHECK_THROWS_WITH(config.GetDuration("SS_TEST_TTL"), Catch::Contains("SS_TEST_TTL"));
  CHECK_THROWS_AS(config.GetDuration("SS_TEST_TTL"), ConfigError);
  CHECK_THROWS_AS(config.Get("NOT_DECLARED"), std::logic_error);
  CHECK(config.Get("SS_TEST_EMPTY").empty());
}

TEST_CASE("getters with a minimum refuse a smaller value and name the variable") {
  const auto config =
      Config::FromValues(TestVariables(), {{"SS_TEST_PORT", "3"}, {"SS_TEST_TTL", "50ms"}});
  CHECK(config.GetInt("SS_TEST_PORT", 3) == 3);
  CHECK_THROWS_WITH(config.GetInt("SS_TEST_PORT", 4), "SS_TEST_PORT must be at least 4");
  CHECK(config.GetDuration("SS_TEST_TTL", std::chrono::milliseconds(50)).count() == 50);
  CHECK_THROWS_WITH(config.GetDuration("SS_TEST_TTL", std::chrono::milliseconds(100)),
                    "SS_TEST_TTL must be at least 100ms");
}

TEST_CASE("a secret's value never appears in an error") {
  const auto config = Config::FromValues(TestVariables(), {{"SS_TEST_PASSWORD", "hunter2"}});
  CHECK_THROWS_WITH(config.GetInt("SS_TEST_PASSWORD"), !Catch::Contains("hunter2"));
}

TEST_CASE("GetBool accepts the usual spellings") {
  for (const char* yes : {"true", "TRUE", "1", "yes", "on"}) {
    CHECK(Config::FromValues(TestVariables(), {{"SS_TEST_FLAG", yes}}).GetBool("SS_TEST_FLAG"));
  }
  for (const char* no : {"false", "False", "0", "no", "off"}) {
    CHECK_FALSE(
        Config::FromValues(TestVariables(), {{"SS_TEST_FLAG", no}}).GetBool("SS_TEST_FLAG"));
  }
}

TEST_CASE("GetInt rejects overflow and blanks") {
  CHECK_THROWS_AS(
      Config::FromValues(TestVariables(), {{"SS_TEST_PORT", "99999999999"}}).GetInt("SS_TEST_PORT"),
      ConfigError);
  CHECK_THROWS_AS(
      Config::FromValues(TestVariables(), {{"SS_TEST_PORT", " 80"}}).GetInt("SS_TEST_PORT"),
      ConfigError);
  CHECK(Config::FromValues(TestVariables(), {{"SS_TEST_PORT", "-3"}}).GetInt("SS_TEST_PORT") == -3);
}

TEST_CASE("ParseDuration reads Go-style durations and bare seconds") {
  CHECK(ParseDuration("500ms") == 500ms);
  CHECK(ParseDuration("30s") == 30s);
  CHECK(ParseDuration("15m") == 15min);
  CHECK(ParseDuration("1h") == 1h);
  CHECK(ParseDuration("1h30m") == 90min);
  CHECK(ParseDuration("720h") == 720h);
  CHECK(ParseDuration("1.5s") == 1500ms);
  CHECK(ParseDuration("2m3s4ms") == 123004ms);
  CHECK(ParseDuration("45") == 45s);
  CHECK(ParseDuration("0") == 0ms);
  for (const char* bad : {"", "s", "10x", "-5s", "1.s", ".5s", "1h 30m", "1.2.3s", "5S", "1e3s",
                          "99999999999999999999", "999999999999999999h"}) {
    INFO(bad);
    CHECK_THROWS_AS(ParseDuration(bad), ConfigError);
  }
}

TEST_CASE("ProcessVariables declares logging and the metrics port") {
  const auto config = Config::FromValues(ss::core::ProcessVariables(9101), {});
  CHECK(config.Get("LOG_LEVEL") == "info");
  CHECK(config.Get("LOG_FORMAT") == "text");
  CHECK(config.GetInt("METRICS_PORT") == 9101);
}
