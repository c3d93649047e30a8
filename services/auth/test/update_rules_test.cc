#include <catch2/catch.hpp>

#include "user_directory.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

constexpr const char* kSelf = "0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11";
constexpr const char* kOther = "6f1c1b8e-8d4f-4f0a-9a57-1c2d3e4f5a6b";

rpc::Principal Caller(const char* role) {
  rpc::Principal principal;
  principal.user_id = kSelf;
  principal.username = "me";
  principal.role = role;
  return principal;
}

pb::UpdateUserRequest For(const char* id) {
  pb::UpdateUserRequest request;
  request.set_id(id);
  return request;
}

grpc::StatusCode Code(const rpc::Principal& caller, const pb::UpdateUserRequest& request) {
  return CheckUpdate(caller, request).error_code();
}

}  // namespace

TEST_CASE("a user or operator changes only their own full name") {
  for (const char* role : {"user", "operator"}) {
    const rpc::Principal caller = Caller(role);
    auto other = For(kOther);
    other.set_full_name("x");
    CHECK(Code(caller, other) == grpc::StatusCode::PERMISSION_DENIED);
    auto promote = For(kSelf);
    promote.set_role("admin");
    CHECK(Code(caller, promote) == grpc::StatusCode::PERMISSION_DENIED);
    auto active = For(kSelf);
    active.set_active(true);
    CHECK(Code(caller, active) == grpc::StatusCode::PERMISSION_DENIED);
    auto password = For(kSelf);
    password.set_password("a new long password");
    CHECK(Code(caller, password) == grpc::StatusCode::PERMISSION_DENIED);
    auto name = For(kSelf);
    name.set_full_name("Me");
    CHECK(Code(caller, name) == grpc::StatusCode::OK);
    CHECK(Code(caller, For("not-a-uuid")) == grpc::StatusCode::INVALID_ARGUMENT);
  }
}

TEST_CASE("an admin cannot demote or disable themself, and fields are validated") {
  const rpc::Principal admin = Caller("admin");
  auto demote = For(kSelf);
  demote.set_role("user");
  CHECK(Code(admin, demote) == grpc::StatusCode::FAILED_PRECONDITION);
  auto disable = For(kSelf);
  disable.set_active(false);
  CHECK(Code(admin, disable) == grpc::StatusCode::FAILED_PRECONDITION);
  // Their own password only with the old one (ChangePassword); a reset is for others.
  auto own_password = For(kSelf);
  own_password.set_password("a new long password");
  CHECK(Code(admin, own_password) == grpc::StatusCode::INVALID_ARGUMENT);
  auto other = For(kOther);
  other.set_role("operator");
  other.set_active(false);
  other.set_password("reset by the admin");
  CHECK(Code(admin, other) == grpc::StatusCode::OK);
  auto bad_role = For(kOther);
  bad_role.set_role("root");
  CHECK(Code(admin, bad_role) == grpc::StatusCode::INVALID_ARGUMENT);
  auto bad_email = For(kOther);
  bad_email.set_email("nope");
  CHECK(Code(admin, bad_email) == grpc::StatusCode::INVALID_ARGUMENT);
  auto long_name = For(kOther);
  long_name.set_full_name(std::string(129, 'x'));
  CHECK(Code(admin, long_name) == grpc::StatusCode::INVALID_ARGUMENT);
  auto short_password = For(kOther);
  short_password.set_password("short");
  CHECK(Code(admin, short_password) == grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace ss::auth
