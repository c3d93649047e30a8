#include "validation.h"

#include <catch2/catch.hpp>

namespace ss::auth {

TEST_CASE("usernames are checked by the shared rule") {
  CHECK(CheckUsername("x@y").error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("password, email, full name, role and provider rules") {
  CHECK(CheckNewPassword("short").error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(CheckNewPassword("twelve chars").ok());
  CHECK_FALSE(CheckNewPassword(std::string(1025, 'p')).ok());
  CHECK(CheckNewPassword(std::string(1024, 'p')).ok());
  CHECK_FALSE(CheckPresentedPassword("").ok());
  CHECK(CheckPresentedPassword("x").ok());

  CHECK(CheckEmail("").ok());
  CHECK(CheckEmail("a@example.org").ok());
  CHECK_FALSE(CheckEmail("no-at.example.org").ok());
  CHECK_FALSE(CheckEmail("a@b@example.org").ok());
  CHECK_FALSE(CheckEmail("a@localhost").ok());
  CHECK_FALSE(CheckEmail("a b@example.org").ok());
  CHECK_FALSE(CheckEmail("@example.org").ok());
  std::string long_email(255, 'a');
  long_email[240] = '@';
  long_email[250] = '.';
  CHECK_FALSE(CheckEmail(long_email).ok());
  long_email.resize(254);
  CHECK(CheckEmail(long_email).ok());

  CHECK(CheckFullName("Zoë O'Brien; DROP TABLE users").ok());
  CHECK_FALSE(CheckFullName(std::string(129, 'n')).ok());
  CHECK_FALSE(CheckFullName("line\nbreak").ok());
  CHECK_FALSE(CheckFullName("bad \xff utf8").ok());
  CHECK_FALSE(CheckFullName("overlong \xc0\xaf").ok());

  CHECK(CheckRole("admin").ok());
  CHECK(CheckRole("user").ok());
  CHECK(CheckRole("operator").ok());
  CHECK(CheckProvider("local").ok());
  CHECK(CheckProvider("oidc").ok());
  CHECK_FALSE(CheckProvider("ldap").ok());
  CHECK_FALSE(CheckRole("service").ok());
  CHECK_FALSE(CheckRole("Admin").ok());
}

TEST_CASE("ids, page sizes and page tokens") {
  CHECK(rpc::IsUuid("0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11"));
  CHECK_FALSE(rpc::IsUuid("0b9f6c2e6a434c439d1e4c1b1f0d2a11"));
  CHECK_FALSE(rpc::IsUuid("0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a1z"));
  CHECK_FALSE(rpc::IsUuid("' OR 1=1 --"));
  int size = 0;
  CHECK(rpc::CheckPageSize(0, &size).ok());
  CHECK(size == 50);
  CHECK(rpc::CheckPageSize(500, &size).ok());
  CHECK(size == 500);
  CHECK_FALSE(rpc::CheckPageSize(501, &size).ok());
  CHECK_FALSE(rpc::CheckPageSize(-1, &size).ok());

  std::string last;
  CHECK(DecodePageToken(EncodePageToken("bob"), &last));
  CHECK(last == "bob");
  CHECK(DecodePageToken("", &last));
  CHECK(last.empty());
  CHECK_FALSE(DecodePageToken("!!!", &last));
  CHECK_FALSE(DecodePageToken(EncodePageToken("Not A Username"), &last));
}

TEST_CASE("service names") {
  CHECK(IsServiceName("gateway"));
  CHECK(IsServiceName("session-2"));
  CHECK_FALSE(IsServiceName(""));
  CHECK_FALSE(IsServiceName("Gateway"));
  CHECK_FALSE(IsServiceName("a=b"));
}

}  // namespace ss::auth
