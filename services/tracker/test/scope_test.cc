#include <catch2/catch.hpp>

#include "connection_tracker.h"

namespace ss::tracker {

TEST_CASE("a user's scope is their own connections; a privileged caller's is everyone's") {
  rpc::Principal alice{"id-1", "alice", "user", ""};
  ConnectionScope scope;
  REQUIRE(ScopeFor(alice, "alice-firefox-0a1b2c3d", "", &scope).ok());
  CHECK(scope.user == "alice");
  CHECK(scope.connection_id.empty());

  for (const char* role : {"admin", "operator", "service"}) {
    rpc::Principal privileged{"id-2", "root", role, ""};
    REQUIRE(ScopeFor(privileged, "alice-firefox-0a1b2c3d", "0f8fad5b-d9cb-469f-a165-70867728950e",
                     &scope)
                .ok());
    CHECK(scope.user.empty());
    CHECK(scope.connection_id == "0f8fad5b-d9cb-469f-a165-70867728950e");
  }
}

TEST_CASE("scopes refuse malformed session and connection ids") {
  rpc::Principal alice{"id-1", "alice", "user", ""};
  ConnectionScope scope;
  CHECK(ScopeFor(alice, "", "", &scope).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ScopeFor(alice, "Alice_Firefox", "", &scope).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ScopeFor(alice, "alice-firefox-0a1b2c3d", "123", &scope).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace ss::tracker
