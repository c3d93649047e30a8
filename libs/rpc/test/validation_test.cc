#include "rpc/validation.h"

#include <catch2/catch.hpp>

namespace ss::rpc {

TEST_CASE("usernames are 1-32 of [a-z0-9._-], stored lower-case") {
  CHECK(NormalizeUsername("Alice.B_c-9") == "alice.b_c-9");
  CHECK(NormalizeUsername(std::string(32, 'a')) == std::string(32, 'a'));
  CHECK_FALSE(NormalizeUsername(std::string(33, 'a')).has_value());
  CHECK_FALSE(NormalizeUsername("").has_value());
  CHECK_FALSE(NormalizeUsername("bob smith").has_value());
  CHECK_FALSE(NormalizeUsername("bob'; DROP TABLE auth.users;--").has_value());
  CHECK_FALSE(NormalizeUsername("b\xc3\xb6"
                                "b")
                  .has_value());
}

}  // namespace ss::rpc
