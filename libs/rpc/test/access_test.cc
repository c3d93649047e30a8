#include "rpc/detail/access.h"

#include <google/protobuf/descriptor.pb.h>

#include <catch2/catch.hpp>

#include "rpc/call.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "test_doubles.h"

using grpc::StatusCode;
using ss::rpc::Principal;
using ss::rpc::detail::Authorize;
using ss::rpc::detail::Metadata;
namespace api = streamspace::api::v1;

namespace {

const ss::rpc::testing::FakeVerifier kVerifier;

// Metadata that refers to `strings`, which must outlive it.
Metadata MetadataOf(const std::vector<std::pair<std::string, std::string>>& strings) {
  Metadata metadata;
  for (const auto& [key, value] : strings)
    metadata.emplace(key, value);
  return metadata;
}

grpc::Status Check(api::Access access, const std::string& authorization, Principal* principal) {
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"authorization", authorization}};
  return Authorize(access, authorization.empty() ? Metadata{} : MetadataOf(strings), kVerifier,
                   principal);
}

}  // namespace

TEST_CASE("a public method lets anyone in and names a caller with a valid token") {
  Principal principal;
  CHECK(Check(api::PUBLIC, "", &principal).ok());
  CHECK(principal.anonymous());
  CHECK(Check(api::PUBLIC, "Bearer forged", &principal).ok());
  CHECK(principal.anonymous());
  CHECK(Check(api::PUBLIC, "Basic dXNlcjpwYXNz", &principal).ok());
  CHECK(principal.anonymous());
  CHECK(Check(api::PUBLIC, "Bearer user-token", &principal).ok());
  CHECK(principal.role == "user");
  CHECK(principal.user_id == "11111111-1111-1111-1111-111111111111");
  CHECK(principal.username == "user-name");
  CHECK(principal.session_id == "sid-1");
}

TEST_CASE("a protected method needs a valid bearer token") {
  Principal principal;
  const auto missing = Check(api::USER, "", &principal);
  CHECK(missing.error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(missing.error_message() == ss::authn::Describe(ss::authn::TokenError::kMissing));
  const auto expired = Check(api::USER, "Bearer expired-token", &principal);
  CHECK(expired.error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(expired.error_message() == ss::authn::Describe(ss::authn::TokenError::kExpired));
  const auto forged = Check(api::ADMIN, "Bearer forged-secret-token", &principal);
  CHECK(forged.error_code() == StatusCode::UNAUTHENTICATED);
  CHECK_THAT(forged.error_message(), !Catch::Contains("forged-secret-token"));
  CHECK(Check(api::USER, "Basic dXNlcjpwYXNz", &principal).error_code() ==
        StatusCode::UNAUTHENTICATED);
  CHECK(Check(api::USER, "Bearer ", &principal).error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(Check(api::USER, "Bearertoken", &principal).error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(principal.anonymous());
}

TEST_CASE("the scheme is case-insensitive") {
  Principal principal;
  CHECK(Check(api::USER, "bearer user-token", &principal).ok());
  CHECK(Check(api::USER, "BEARER  user-token", &principal).ok());
}

TEST_CASE(
    "roles: USER takes every identity, OPERATOR operators and admins, ADMIN admins, SERVICE "
    "services") {
  Principal principal;
  CHECK(Check(api::USER, "Bearer user-token", &principal).ok());
  CHECK_FALSE(principal.privileged());
  CHECK(Check(api::USER, "Bearer admin-token", &principal).ok());
  CHECK(principal.privileged());
  CHECK(Check(api::USER, "Bearer service-token", &principal).ok());
  CHECK(principal.privileged());
  CHECK(Check(api::USER, "", &principal).error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(principal.anonymous());
  CHECK(Check(api::ADMIN, "Bearer admin-token", &principal).ok());
  CHECK(principal.admin());
  CHECK(Check(api::ADMIN, "Bearer user-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(Check(api::ADMIN, "Bearer service-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(Check(api::ADMIN, "Bearer operator-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(Check(api::USER, "Bearer operator-token", &principal).ok());
  CHECK(principal.operator_role());
  CHECK(principal.privileged());
  CHECK_FALSE(principal.admin());
  CHECK(Check(api::OPERATOR, "Bearer operator-token", &principal).ok());
  CHECK(Check(api::OPERATOR, "Bearer admin-token", &principal).ok());
  CHECK(Check(api::OPERATOR, "Bearer user-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(Check(api::OPERATOR, "Bearer service-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
  CHECK(Check(api::SERVICE, "Bearer service-token", &principal).ok());
  CHECK(principal.service());
  CHECK(Check(api::SERVICE, "Bearer admin-token", &principal).error_code() ==
        StatusCode::PERMISSION_DENIED);
}

TEST_CASE("request ids are taken when well-formed, else made fresh") {
  using ss::rpc::detail::RequestIdFrom;
  const std::string good = "Req-1.2_3";
  const std::string long_id(65, 'a');
  const std::string max_id(64, 'a');
  CHECK(RequestIdFrom(MetadataOf({{"x-request-id", good}})) == good);
  CHECK(RequestIdFrom(MetadataOf({{"x-request-id", max_id}})) == max_id);
  for (const std::string& bad :
       {long_id, std::string("a b"), std::string("a\nb"), std::string("{}"), std::string("")}) {
    const auto id = RequestIdFrom(MetadataOf({{"x-request-id", bad}}));
    CHECK(id != bad);
    CHECK(id.size() == 16);
  }
  CHECK(RequestIdFrom({}).size() == 16);
}

TEST_CASE("the client address comes from the gateway, else the peer") {
  using ss::rpc::detail::ClientAddressFrom;
  CHECK(ClientAddressFrom(MetadataOf({{"x-client-address", "203.0.113.7"}}), "ipv4:10.0.0.1:5") ==
        "203.0.113.7");
  CHECK(ClientAddressFrom({}, "ipv4:10.0.0.1:5") == "ipv4:10.0.0.1:5");
}

TEST_CASE("AccessGuard reads the access level of every method of a service") {
  auto verifier = std::make_shared<ss::rpc::testing::FakeVerifier>();
  const ss::rpc::AccessGuard guard(ss::rpc::testing::AuthServiceDescriptor(), verifier);
  grpc::ServerContext context;  // no metadata: an anonymous caller
  Principal principal;
  CHECK(guard.Check(context, "Login", &principal).ok());
  CHECK(guard.Check(context, "GetJwks", &principal).ok());
  CHECK(guard.Check(context, "GetMe", &principal).error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(guard.Check(context, "ListUsers", &principal).error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(guard.Check(context, "ListRevocations", &principal).error_code() ==
        StatusCode::UNAUTHENTICATED);
  CHECK(guard.Check(context, "NoSuchMethod", &principal).error_code() == StatusCode::INTERNAL);
}

TEST_CASE("AccessGuard refuses a service with a method that declares no access level") {
  google::protobuf::FileDescriptorProto file;
  file.set_name("undeclared_test.proto");
  file.set_package("test");
  file.add_message_type()->set_name("Empty");
  auto* service = file.add_service();
  service->set_name("Open");
  auto* method = service->add_method();
  method->set_name("Anything");
  method->set_input_type(".test.Empty");
  method->set_output_type(".test.Empty");
  google::protobuf::DescriptorPool pool;
  const auto* built = pool.BuildFile(file);
  REQUIRE(built != nullptr);
  CHECK_THROWS_WITH(
      ss::rpc::AccessGuard(*built->service(0), std::make_shared<ss::rpc::testing::FakeVerifier>()),
      Catch::Contains("test.Open.Anything"));
}

TEST_CASE("every method's policy comes from its proto options") {
  const auto& service = ss::rpc::testing::AuthServiceDescriptor();
  const auto policy = [&](const char* name) {
    return ss::rpc::PolicyOf(*service.FindMethodByName(name));
  };
  const auto me = policy("GetMe");
  CHECK(me.access == api::USER);
  CHECK(me.area == api::USERS);
  CHECK(me.effect == api::READ);
  const auto update = policy("UpdateUser");
  CHECK(update.effect == api::CHANGE);
  CHECK(update.object_fields == std::vector<std::string>{"id"});
  const auto member = policy("UpdateGroupMember");
  CHECK(member.object_fields == std::vector<std::string>{"id", "user_id"});
  // Without path variables the identifying fields name the object; never the password.
  const auto login = policy("Login");
  CHECK(login.access == api::PUBLIC);
  CHECK(login.effect == api::CHANGE);
  CHECK(login.object_fields == std::vector<std::string>{"username"});
  CHECK(policy("Refresh").effect == api::KEEPALIVE);
  CHECK(policy("CreateApiToken").area == api::ACCOUNT);
  CHECK(policy("ListAuditEvents").area == api::AUDIT);

  streamspace::auth::v1::LoginRequest request;
  request.set_username("alice");
  request.set_password("a secret password");
  CHECK(ss::rpc::AuditObject(login, request) == "username=alice");
  streamspace::auth::v1::UpdateGroupMemberRequest change;
  change.set_id("g1");
  change.set_user_id("u1");
  change.set_role("admin");
  CHECK(ss::rpc::AuditObject(member, change) == "id=g1 user_id=u1");
  CHECK(ss::rpc::AuditObject(update, streamspace::auth::v1::UpdateUserRequest()).empty());
}

TEST_CASE("a token's scopes: write includes read, ACCOUNT is never granted") {
  using ss::rpc::GrantableScope;
  using ss::rpc::ScopeAllows;
  const std::vector<std::string> scopes{"sessions:read", "users:write"};
  CHECK(ScopeAllows(api::SESSIONS, api::READ, scopes));
  CHECK_FALSE(ScopeAllows(api::SESSIONS, api::CHANGE, scopes));
  CHECK_FALSE(ScopeAllows(api::SESSIONS, api::KEEPALIVE, scopes));
  CHECK(ScopeAllows(api::USERS, api::READ, scopes));
  CHECK(ScopeAllows(api::USERS, api::CHANGE, scopes));
  CHECK_FALSE(ScopeAllows(api::TEMPLATES, api::READ, scopes));
  CHECK_FALSE(ScopeAllows(api::ACCOUNT, api::READ, {"account:read", "account:write"}));
  CHECK(ss::rpc::RequiredScope(api::QUOTAS, api::CHANGE) == "quotas:write");
  CHECK(ss::rpc::RequiredScope(api::NODES, api::READ) == "nodes:read");

  for (const char* good :
       {"sessions:read", "templates:write", "catalog:read", "users:read", "groups:write",
        "quotas:read", "nodes:write", "platform:read", "audit:read"}) {
    CHECK(GrantableScope(good));
  }
  for (const char* bad : {"account:read", "area_unspecified:read", "sessions", "sessions:",
                          "SESSIONS:read", "sessions:admin", ":read", "", "sessions:read:x"}) {
    INFO(bad);
    CHECK_FALSE(GrantableScope(bad));
  }
}
