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

EdgeAuth::EdgeAuth(std::shared_ptr<const authn::TokenVerifier> verifier)
    : verifier_(std::move(verifier)) {}

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

}  // namespace ss::gateway
