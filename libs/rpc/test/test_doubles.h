// Test doubles for the rpc tests: a TokenVerifier with a few fixed tokens, and a real descriptor.
#pragma once

#include <google/protobuf/descriptor.h>

#include "authn/token.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::rpc::testing {

class FakeVerifier final : public authn::TokenVerifier {
 public:
  // "user-token", "operator-token", "admin-token" and "service-token" verify with that role;
  // "reader-api-token" is an admin's API token with scopes users:read and groups:write;
  // "expired-token" is expired; anything else has a bad signature.
  authn::VerifyResult Verify(std::string_view token) const override {
    authn::VerifyResult result;
    const auto signed_in = [&](std::string role, std::string subject) {
      result.claims.role = std::move(role);
      result.claims.subject = std::move(subject);
      result.claims.username = result.claims.role + "-name";
      result.claims.session_id = "sid-1";
    };
    if (token == "user-token") {
      signed_in("user", "11111111-1111-1111-1111-111111111111");
    } else if (token == "operator-token") {
      signed_in("operator", "33333333-3333-3333-3333-333333333333");
    } else if (token == "admin-token") {
      signed_in("admin", "22222222-2222-2222-2222-222222222222");
    } else if (token == "service-token") {
      signed_in("service", "service:session");
    } else if (token == "reader-api-token") {
      signed_in("admin", "44444444-4444-4444-4444-444444444444");
      result.claims.session_id.clear();
      result.claims.token_id = "0123456789abcdef0123456789abcdef";
      result.claims.scopes = {"users:read", "groups:write"};
    } else if (token == "expired-token") {
      result.error = authn::TokenError::kExpired;
    } else {
      result.error = authn::TokenError::kBadSignature;
    }
    return result;
  }
};

// A real service descriptor whose methods declare every access level.
inline const google::protobuf::ServiceDescriptor& AuthServiceDescriptor() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      streamspace::auth::v1::AuthService::service_full_name());
}

}  // namespace ss::rpc::testing
