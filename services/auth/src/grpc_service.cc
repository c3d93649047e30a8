#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/handler.h"
#include "store_feed.h"

namespace ss::auth {
namespace pb = streamspace::auth::v1;

AuthGrpcService::AuthGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                 std::shared_ptr<rpc::Auditor> auditor, SignIn& sign_in,
                                 UserDirectory& users, GroupRoster& groups, const KeyRing& keys,
                                 SessionStore& sessions, ApiTokens& tokens, AuditLog& audit,
                                 SingleSignOn& sso)
    : guard_(*pb::LoginRequest::descriptor()->file()->FindServiceByName("AuthService"),
             std::move(verifier), std::move(auditor)),
      sign_in_(sign_in),
      users_(users),
      groups_(groups),
      keys_(keys),
      sessions_(sessions),
      tokens_(tokens),
      audit_(audit),
      sso_(sso) {}

grpc::Status AuthGrpcService::Login(grpc::ServerContext* context, const pb::LoginRequest* request,
                                    pb::LoginResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    int retry_after = 0;
    grpc::Status status = sign_in_.Login(*request, call.client_address(), response, &retry_after);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      context->AddTrailingMetadata("retry-after", std::to_string(retry_after));
    }
    return status;
  });
}

grpc::Status AuthGrpcService::Refresh(grpc::ServerContext* context,
                                      const pb::RefreshRequest* request,
                                      pb::LoginResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sign_in_.Refresh(*request, response); });
}

grpc::Status AuthGrpcService::Logout(grpc::ServerContext* context, const pb::LogoutRequest* request,
                                     pb::LogoutResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call& call) { return sign_in_.Logout(call.principal()); });
}

grpc::Status AuthGrpcService::ChangePassword(grpc::ServerContext* context,
                                             const pb::ChangePasswordRequest* request,
                                             pb::ChangePasswordResponse*) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    int retry_after = 0;
    grpc::Status status =
        sign_in_.ChangePassword(call.principal(), *request, call.client_address(), &retry_after);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      context->AddTrailingMetadata("retry-after", std::to_string(retry_after));
    }
    return status;
  });
}

grpc::Status AuthGrpcService::GetJwks(grpc::ServerContext* context,
                                      const pb::GetJwksRequest* request, pb::Jwks* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    for (const authn::Jwk& jwk : keys_.PublicKeys()) {
      pb::Jwk* key = response->add_keys();
      key->set_kty(jwk.kty);
      key->set_crv(jwk.crv);
      key->set_kid(jwk.kid);
      key->set_alg(jwk.alg);
      key->set_use(jwk.use);
      key->set_x(jwk.x);
    }
    return grpc::Status::OK;
  });
}

grpc::Status AuthGrpcService::GetMe(grpc::ServerContext* context, const pb::GetMeRequest* request,
                                    pb::User* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return users_.GetMe(call.principal(), response);
  });
}

grpc::Status AuthGrpcService::ListUsers(grpc::ServerContext* context,
                                        const pb::ListUsersRequest* request,
                                        pb::ListUsersResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return users_.List(*request, response); });
}

grpc::Status AuthGrpcService::CreateUser(grpc::ServerContext* context,
                                         const pb::CreateUserRequest* request, pb::User* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return users_.Create(*request, response); });
}

grpc::Status AuthGrpcService::GetUser(grpc::ServerContext* context,
                                      const pb::GetUserRequest* request, pb::User* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return users_.Get(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::UpdateUser(grpc::ServerContext* context,
                                         const pb::UpdateUserRequest* request, pb::User* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return users_.Update(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::DeleteUser(grpc::ServerContext* context,
                                         const pb::DeleteUserRequest* request,
                                         pb::DeleteUserResponse*) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return users_.Delete(call.principal(), *request);
  });
}

grpc::Status AuthGrpcService::IssueServiceToken(grpc::ServerContext* context,
                                                const pb::IssueServiceTokenRequest* request,
                                                pb::IssueServiceTokenResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return sign_in_.IssueServiceToken(*request, response);
  });
}

grpc::Status AuthGrpcService::ListRevocations(grpc::ServerContext* context,
                                              const pb::ListRevocationsRequest* request,
                                              pb::ListRevocationsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    if (request->after() < 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "after must not be negative");
    }

    const authn::RevocationBatch batch =
        sessions_.Revocations(request->after(), kRevocationBatchLimit);
    for (const authn::Revocation& entry : batch.revocations) {
      pb::Revocation* revocation = response->add_revocations();
      revocation->set_sequence(entry.sequence);
      revocation->set_session_id(entry.session_id);
      revocation->set_user_id(entry.user_id);
      revocation->set_not_before_ms(entry.not_before_ms);
      revocation->set_expires_at_ms(entry.expires_at_ms);
    }
    response->set_latest(batch.latest);
    return grpc::Status::OK;
  });
}

grpc::Status AuthGrpcService::GetUserStats(grpc::ServerContext* context,
                                           const pb::GetUserStatsRequest* request,
                                           pb::UserStats* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return users_.Stats(response); });
}

grpc::Status AuthGrpcService::ListGroups(grpc::ServerContext* context,
                                         const pb::ListGroupsRequest* request,
                                         pb::ListGroupsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return groups_.List(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::CreateGroup(grpc::ServerContext* context,
                                          const pb::CreateGroupRequest* request,
                                          pb::Group* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.Create(*request, response); });
}

grpc::Status AuthGrpcService::GetGroup(grpc::ServerContext* context,
                                       const pb::GetGroupRequest* request, pb::Group* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return groups_.Get(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::UpdateGroup(grpc::ServerContext* context,
                                          const pb::UpdateGroupRequest* request,
                                          pb::Group* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.Update(*request, response); });
}

grpc::Status AuthGrpcService::DeleteGroup(grpc::ServerContext* context,
                                          const pb::DeleteGroupRequest* request,
                                          pb::DeleteGroupResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.Delete(*request); });
}

grpc::Status AuthGrpcService::ListGroupMembers(grpc::ServerContext* context,
                                               const pb::ListGroupMembersRequest* request,
                                               pb::ListGroupMembersResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.Members(*request, response); });
}

grpc::Status AuthGrpcService::AddGroupMember(grpc::ServerContext* context,
                                             const pb::AddGroupMemberRequest* request,
                                             pb::GroupMember* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.AddMember(*request, response); });
}

grpc::Status AuthGrpcService::UpdateGroupMember(grpc::ServerContext* context,
                                                const pb::UpdateGroupMemberRequest* request,
                                                pb::GroupMember* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.UpdateMember(*request, response); });
}

grpc::Status AuthGrpcService::RemoveGroupMember(grpc::ServerContext* context,
                                                const pb::RemoveGroupMemberRequest* request,
                                                pb::RemoveGroupMemberResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.RemoveMember(*request); });
}

grpc::Status AuthGrpcService::ListUserGroups(grpc::ServerContext* context,
                                             const pb::ListUserGroupsRequest* request,
                                             pb::ListGroupsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return groups_.UserGroups(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::GetGroupDirectory(grpc::ServerContext* context,
                                                const pb::GetGroupDirectoryRequest* request,
                                                pb::GroupDirectory* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return groups_.Directory(*request, response); });
}

grpc::Status AuthGrpcService::CreateApiToken(grpc::ServerContext* context,
                                             const pb::CreateApiTokenRequest* request,
                                             pb::CreatedApiToken* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tokens_.Create(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::ListApiTokens(grpc::ServerContext* context,
                                            const pb::ListApiTokensRequest* request,
                                            pb::ListApiTokensResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tokens_.List(call.principal(), *request, response);
  });
}

grpc::Status AuthGrpcService::DeleteApiToken(grpc::ServerContext* context,
                                             const pb::DeleteApiTokenRequest* request,
                                             pb::DeleteApiTokenResponse*) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tokens_.Delete(call.principal(), *request);
  });
}

grpc::Status AuthGrpcService::SyncApiTokens(grpc::ServerContext* context,
                                            const pb::SyncApiTokensRequest* request,
                                            pb::ApiTokenDirectory* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return tokens_.Sync(*request, response); });
}

grpc::Status AuthGrpcService::RecordAudit(grpc::ServerContext* context,
                                          const pb::RecordAuditRequest* request,
                                          pb::RecordAuditResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return audit_.Record(*request); });
}

grpc::Status AuthGrpcService::ListAuditEvents(grpc::ServerContext* context,
                                              const pb::ListAuditEventsRequest* request,
                                              pb::ListAuditEventsResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return audit_.List(*request, response); });
}

grpc::Status AuthGrpcService::GetSignInToken(grpc::ServerContext* context,
                                             const pb::GetSignInTokenRequest* request,
                                             pb::LoginResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return sign_in_.Renew(call.principal(), response);
  });
}

grpc::Status AuthGrpcService::GetSamlMetadata(grpc::ServerContext* context,
                                              const pb::GetSamlMetadataRequest* request,
                                              pb::SamlMetadata* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sso_.SamlMetadata(response); });
}

grpc::Status AuthGrpcService::StartSamlLogin(grpc::ServerContext* context,
                                             const pb::StartSsoLoginRequest* request,
                                             pb::SsoRedirect* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sso_.StartSamlLogin(*request, response); });
}

grpc::Status AuthGrpcService::ConsumeSamlResponse(grpc::ServerContext* context,
                                                  const pb::SamlPostRequest* request,
                                                  pb::SsoSignIn* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return sso_.ConsumeSamlResponse(*request, response);
  });
}

grpc::Status AuthGrpcService::SamlLogoutRedirect(grpc::ServerContext* context,
                                                 const pb::SamlRedirectRequest* request,
                                                 pb::SsoRedirect* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return sso_.SamlLogoutRedirect(request->query(), response);
  });
}

grpc::Status AuthGrpcService::SamlLogoutPost(grpc::ServerContext* context,
                                             const pb::SamlPostRequest* request,
                                             pb::SsoRedirect* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sso_.SamlLogoutPost(*request, response); });
}

grpc::Status AuthGrpcService::StartSamlLogout(grpc::ServerContext* context,
                                              const pb::StartSamlLogoutRequest* request,
                                              pb::SsoRedirect* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return sso_.StartSamlLogout(call.principal(), response);
  });
}

grpc::Status AuthGrpcService::StartOidcLogin(grpc::ServerContext* context,
                                             const pb::StartSsoLoginRequest* request,
                                             pb::SsoRedirect* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sso_.StartOidcLogin(*request, response); });
}

grpc::Status AuthGrpcService::CompleteOidcLogin(grpc::ServerContext* context,
                                                const pb::OidcCallbackRequest* request,
                                                pb::SsoSignIn* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return sso_.CompleteOidcLogin(*request, response); });
}

}  // namespace ss::auth
