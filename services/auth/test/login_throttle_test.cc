#include "login_throttle.h"

#include <catch2/catch.hpp>

namespace ss::auth {

TEST_CASE("fewer than five recent failures let the attempt through") {
  CHECK_FALSE(RetryAfterSeconds({}, {}, 1'000'000).has_value());
}

TEST_CASE("the fifth failure in the window blocks until it leaves the window") {
  const ThrottlePolicy policy;
  const int64_t now = 10'000'000;
  RecentFailures by_account{now - 60'000, std::nullopt};
  CHECK(RetryAfterSeconds(policy, by_account, now) == 240);
  RecentFailures by_address{std::nullopt, now - 299'500};
  CHECK(RetryAfterSeconds(policy, by_address, now) == 1);
  RecentFailures both{now - 200'000, now - 10'000};
  CHECK(RetryAfterSeconds(policy, both, now) == 290);
  RecentFailures old{now - 300'000, std::nullopt};
  CHECK_FALSE(RetryAfterSeconds(policy, old, now).has_value());
}

}  // namespace ss::auth
