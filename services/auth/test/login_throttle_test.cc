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

TEST_CASE("failures count by client address without the gRPC scheme and port") {
  CHECK(ThrottleAddress("ipv4:10.0.0.7:53114") == "10.0.0.7");
  CHECK(ThrottleAddress("ipv6:[::1]:53114") == "::1");
  CHECK(ThrottleAddress("ipv6:%5B::1%5D:53114") == "::1");
  CHECK(ThrottleAddress("203.0.113.9") == "203.0.113.9");
  CHECK(ThrottleAddress("2001:db8::1") == "2001:db8::1");
  CHECK(ThrottleAddress("") == "unknown");
  CHECK(ThrottleAddress(std::string(300, 'a')).size() == 128);
}

}  // namespace ss::auth
