#include "group_rules.h"

#include <catch2/catch.hpp>

namespace ss::auth {

TEST_CASE("group names are lower-cased and follow the web UI's rule") {
  CHECK(NormalizeGroupName("Engineering_Team-2") == "engineering_team-2");
  CHECK(NormalizeGroupName(std::string(63, 'a')) == std::string(63, 'a'));
  CHECK_FALSE(NormalizeGroupName(std::string(64, 'a')));
  for (const char* bad : {"", "a b", "a.b", "a/b", "é", "a\n"})
    CHECK(CheckGroupName(bad).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("display name, description, type and member role rules") {
  CHECK(CheckGroupDisplayName("Engineering").ok());
  CHECK_FALSE(CheckGroupDisplayName("").ok());
  CHECK_FALSE(CheckGroupDisplayName(std::string(129, 'x')).ok());
  CHECK_FALSE(CheckGroupDisplayName("two\nlines").ok());
  CHECK(CheckGroupDescription("").ok());
  CHECK(CheckGroupDescription("line one\nline two\ttabbed").ok());
  CHECK_FALSE(CheckGroupDescription(std::string(1025, 'x')).ok());
  CHECK_FALSE(CheckGroupDescription(std::string("nul\0", 4)).ok());
  CHECK_FALSE(CheckGroupDescription("\xff").ok());
  for (const char* type : {"system", "organization", "team", "project"})
    CHECK(CheckGroupType(type).ok());
  CHECK_FALSE(CheckGroupType("Team").ok());
  CHECK_FALSE(CheckGroupType("").ok());
  for (const char* role : {"member", "admin", "owner"})
    CHECK(CheckMemberRole(role).ok());
  CHECK_FALSE(CheckMemberRole("operator").ok());
  CHECK(CheckGroupId("not-a-uuid", "parentId").error_message().find("parentId") == 0);
}

TEST_CASE("a user is named by id or by username") {
  const auto by_id = ParseUserRef("0B9F6C2E-6A43-4C43-9D1E-4C1B1F0D2A11");
  REQUIRE(by_id);
  CHECK(by_id->id == "0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11");
  CHECK_FALSE(by_id->username);
  const auto by_name = ParseUserRef("Alice");
  REQUIRE(by_name);
  CHECK(by_name->username == "alice");
  CHECK_FALSE(by_name->id);
  CHECK_FALSE(ParseUserRef(""));
  CHECK_FALSE(ParseUserRef("a b"));
}

TEST_CASE("a parent that makes a cycle is refused") {
  // The tree: root <- team <- squad.
  const std::vector<std::string> squad_chain{"squad", "team", "root"};
  const std::vector<std::string> team_chain{"team", "root"};
  const std::vector<std::string> other_chain{"other"};
  CHECK(CheckNewParent("root", squad_chain).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(CheckNewParent("team", squad_chain).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(CheckNewParent("team", team_chain).error_message() == "a group cannot be its own parent");
  CHECK(CheckNewParent("squad", team_chain).ok());
  CHECK(CheckNewParent("root", other_chain).ok());
  // No new parent (top-level or unchanged): nothing to check.
  CHECK(CheckNewParent("root", {}).ok());
}

TEST_CASE("a system group stays one") {
  CHECK(CheckTypeChange("team", "project").ok());
  CHECK(CheckTypeChange("system", "system").ok());
  CHECK(CheckTypeChange("system", "team").error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CheckTypeChange("team", "system").error_code() == grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace ss::auth
