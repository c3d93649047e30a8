// The gateway's own token check, before any backend is called: a route's declared access level
// against the bearer token, verified locally. The service checks again.
#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <string_view>

#include "authn/token.h"
#include "rpc/audit.h"
#include "streamspace/api/v1/options.pb.h"

namespace ss::gateway {

// The token of an "Authorization: Bearer <token>" value; empty when the value is not one.
std::string_view BearerToken(std::string_view authorization);

class EdgeAuth {
 public:
  // Refusals of API tokens at the gateway go to `auditor` (null: not recorded, in unit tests).
  explicit EdgeAuth(std::shared_ptr<const authn::TokenVerifier> verifier,
                    std::shared_ptr<rpc::Auditor> auditor = nullptr);

  // OK when a caller with this Authorization header value may reach a route of this access level;
  // UNAUTHENTICATED for a missing or bad token, PERMISSION_DENIED for a role that does not fit.
  // PUBLIC routes pass whatever the header holds.
  grpc::Status Check(streamspace::api::v1::Access access, std::string_view authorization) const;

  // As Check, for a bare token; fills `claims` when the token verifies. USER admits the roles
  // user, admin and service; ADMIN admin; SERVICE service.
  grpc::Status CheckToken(streamspace::api::v1::Access access, std::string_view token,
                          authn::Claims* claims) const;

  // For a WebSocket the gateway serves itself (no service sees the client's token): an API token
  // must hold the method's scope. A refusal is PERMISSION_DENIED and is recorded.
  grpc::Status CheckScope(const google::protobuf::MethodDescriptor& method,
                          const authn::Claims& claims, std::string client_address) const;

 private:
  std::shared_ptr<const authn::TokenVerifier> verifier_;
  std::shared_ptr<rpc::Auditor> auditor_;
};

}  // namespace ss::gateway
