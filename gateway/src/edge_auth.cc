#include "edge_auth.h"

#include <cctype>
#include <string>

#include "rpc/call.h"

namespace ss::gateway {

namespace api = streamspace::api::v1;

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size())
    return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i])
      return {};
  }
  auto token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  if (token.find(' ') != std::string_view::npos)
    return {};
  return token;
}

EdgeAuth::EdgeAuth(std::shared_ptr<const authn::TokenVerifier> verifier,
                   std::shared_ptr<rpc::Auditor> auditor)
    : verifier_(std::move(verifier)), auditor_(std::move(auditor)) {}

grpc::Status EdgeAuth::Check(api::Access access, std::string_view authorization) const {
  if (access == api::PUBLIC)
    return grpc::Status::OK;
  authn::Claims claims;
  return CheckToken(access, BearerToken(authorization), &claims);
}

grpc::Status EdgeAuth::CheckToken(api::Access access, std::string_view token,
                                  authn::Claims* claims) const {
  if (access == api::PUBLIC)
    return grpc::Status::OK;
  if (token.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "missing bearer token");
  }
  auto result = verifier_->Verify(token);
  if (!result.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "invalid token: " + std::string(authn::Describe(result.error)));
  }
  if (!rpc::RoleAllowed(access, result.claims.role))
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "permission denied");
  *claims = std::move(result.claims);
  return grpc::Status::OK;
}

grpc::Status EdgeAuth::CheckScope(const google::protobuf::MethodDescriptor& method,
                                  const authn::Claims& claims, std::string client_address) const {
  if (claims.token_id.empty())
    return grpc::Status::OK;
  const rpc::MethodPolicy policy = rpc::PolicyOf(method);
  if (rpc::ScopeAllows(policy.area, policy.effect, claims.scopes))
    return grpc::Status::OK;
  grpc::Status refused(
      grpc::StatusCode::PERMISSION_DENIED,
      "the API token's scopes do not include " + rpc::RequiredScope(policy.area, policy.effect));
  if (auditor_) {
    rpc::Principal who;
    who.user_id = claims.subject;
    who.username = claims.username;
    who.token_id = claims.token_id;
    auto event =
        rpc::NewAuditEvent("gateway", method.name(), who, std::string(), std::move(client_address));
    event.set_outcome("failed");
    event.set_code(static_cast<int>(refused.error_code()));
    event.set_message(refused.error_message());
    auditor_->Finish(std::move(event));
  }
  return refused;
}

}  // namespace ss::gateway
