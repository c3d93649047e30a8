#include <catch2/catch.hpp>

#include "single_sign_on.h"

namespace ss::auth {
namespace {

ProvidedUser Alice(std::vector<std::string> groups) {
  return ProvidedUser{"saml",           "https://idp.test", "alice@corp.test",
                      "Alice",          "alice@corp.test",  "Alice Liddell",
                      std::move(groups)};
}

}  // namespace

TEST_CASE("the highest mapped role wins, and no mapped group means role user") {
  const FederationMapping mapping("ops=operator,admins=admin,staff=user", "");
  FederatedIdentity identity;
  REQUIRE(mapping.Map(Alice({"staff", "admins", "ops"}), &identity).ok());
  CHECK(identity.role == "admin");
  REQUIRE(mapping.Map(Alice({"ops"}), &identity).ok());
  CHECK(identity.role == "operator");
  REQUIRE(mapping.Map(Alice({"unrelated"}), &identity).ok());
  CHECK(identity.role == "user");
  CHECK(identity.username == "alice");
  CHECK(identity.subject == "alice@corp.test");
  CHECK(identity.full_name == "Alice Liddell");
}

TEST_CASE("without a role map the account keeps the role an admin gave it") {
  const FederationMapping mapping("", "");
  FederatedIdentity identity;
  REQUIRE(mapping.Map(Alice({"admins"}), &identity).ok());
  CHECK_FALSE(identity.role.has_value());
  CHECK(identity.managed_groups.empty());
}

TEST_CASE("group memberships: the mapped ones, out of every managed group") {
  const FederationMapping mapping("", "eng=engineering,devs=engineering,ops=operations");
  FederatedIdentity identity;
  REQUIRE(mapping.Map(Alice({"devs", "eng", "other"}), &identity).ok());
  CHECK(identity.groups == std::vector<std::string>{"engineering"});
  CHECK(identity.managed_groups == std::vector<std::string>{"engineering", "operations"});
  REQUIRE(mapping.Map(Alice({}), &identity).ok());
  CHECK(identity.groups.empty());
}

TEST_CASE("a username comes from the claim, else an email's local part, else none") {
  const FederationMapping mapping("", "");
  FederatedIdentity identity;
  ProvidedUser user = Alice({});
  user.username = "Bob.Smith@corp.test";
  REQUIRE(mapping.Map(user, &identity).ok());
  CHECK(identity.username == "bob.smith");
  user.username = "not a name";
  user.email = "carol@corp.test";
  REQUIRE(mapping.Map(user, &identity).ok());
  CHECK(identity.username == "carol");
  user.email = "";
  CHECK(mapping.Map(user, &identity).error_code() == grpc::StatusCode::PERMISSION_DENIED);
}

TEST_CASE("invalid emails and names are left empty, not refused") {
  const FederationMapping mapping("", "");
  FederatedIdentity identity;
  ProvidedUser user = Alice({});
  user.email = "not-an-email";
  user.display_name = std::string(200, 'x');
  REQUIRE(mapping.Map(user, &identity).ok());
  CHECK(identity.email.empty());
  CHECK(identity.full_name.empty());
}

TEST_CASE("malformed maps are configuration errors") {
  CHECK_THROWS_AS(FederationMapping("ops=superuser", ""), core::ConfigError);
  CHECK_THROWS_AS(FederationMapping("ops", ""), core::ConfigError);
  CHECK_THROWS_AS(FederationMapping("", "=engineering"), core::ConfigError);
  CHECK_THROWS_AS(FederationMapping("", "eng="), core::ConfigError);
  CHECK_NOTHROW(FederationMapping("ops=operator,,", " "));
}

TEST_CASE("return paths stay on the site") {
  std::string path;
  REQUIRE(CheckReturnPath("", &path).ok());
  CHECK(path == "/");
  REQUIRE(CheckReturnPath("/sessions?tab=mine", &path).ok());
  CHECK(path == "/sessions?tab=mine");
  for (const char* bad : {"https://evil.test/", "//evil.test", "/\\evil.test", "sessions", "/a\nb",
                          "javascript:alert(1)"}) {
    CHECK(CheckReturnPath(bad, &path).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  CHECK_FALSE(CheckReturnPath("/" + std::string(600, 'a'), &path).ok());
}

}  // namespace ss::auth
