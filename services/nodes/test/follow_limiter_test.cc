#include "follow_limiter.h"

#include <catch2/catch.hpp>
#include <vector>

namespace ss::nodes {

TEST_CASE("follows are capped per user and in total, and released with their slot", "[follow]") {
  FollowLimiter limiter(2, 3, "pod log follows");
  std::vector<FollowLimiter::Slot> alice(2);
  for (auto& slot : alice)
    REQUIRE(limiter.Acquire("alice", &slot).ok());
  FollowLimiter::Slot refused;
  const grpc::Status per_user = limiter.Acquire("alice", &refused);
  CHECK(per_user.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(per_user.error_message().find("per user") != std::string::npos);

  FollowLimiter::Slot bob;
  REQUIRE(limiter.Acquire("bob", &bob).ok());
  FollowLimiter::Slot carol;
  const grpc::Status total = limiter.Acquire("carol", &carol);
  CHECK(total.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(total.error_message().find("limit") != std::string::npos);
  CHECK(limiter.open() == 3);

  alice.pop_back();
  CHECK(limiter.open() == 2);
  CHECK(limiter.Acquire("carol", &carol).ok());
  {
    FollowLimiter::Slot moved = std::move(bob);
    CHECK(limiter.open() == 3);
  }
  CHECK(limiter.open() == 2);
  REQUIRE(limiter.Acquire("alice", &refused).ok());
  CHECK(limiter.open() == 3);
}

}  // namespace ss::nodes
