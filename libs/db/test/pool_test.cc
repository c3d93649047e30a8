#include "db/pool.h"

#include <catch2/catch.hpp>
#include <chrono>

using namespace std::chrono_literals;

namespace {

// Nothing listens on port 1, so every connect is refused at once.
const char* kUnreachable =
    "host='127.0.0.1' port='1' user='auth' password='hunter2-very-secret' dbname='streamspace' "
    "connect_timeout=2";

}  // namespace

TEST_CASE("a failed connect is Unavailable, quickly, and never shows the password") {
  ss::db::Pool pool({kUnreachable, 2, 200ms});
  const auto start = std::chrono::steady_clock::now();
  try {
    pool.With([](pqxx::connection&) {});
    FAIL("connected to port 1");
  } catch (const ss::db::Unavailable& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("auth@127.0.0.1:1/streamspace"));
    CHECK_THAT(message, !Catch::Contains("hunter2"));
  }
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("failed connects give their slot back") {
  ss::db::Pool pool({kUnreachable, 1, 100ms});
  // With one slot, a leaked slot would turn the later attempts into pool timeouts.
  for (int i = 0; i < 3; ++i) {
    CHECK_THROWS_WITH(pool.With([](pqxx::connection&) { return 1; }),
                      Catch::Contains("cannot connect"));
  }
}

TEST_CASE("a pool needs at least one connection") {
  CHECK_THROWS_AS(ss::db::Pool({kUnreachable, 0, 100ms}), std::invalid_argument);
}
