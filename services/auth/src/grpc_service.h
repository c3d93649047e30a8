// The gRPC face of the auth service: every handler checks access first (rpc::Handle), then hands
// the request to the plain logic classes and turns failures of the database into UNAVAILABLE.
#pragma once

#include "api_tokens.h"
#include "audit_log.h"
#include "group_roster.h"
#include "key_ring.h"
#include "rpc/audit.h"
#include "rpc/call.h"
#include "session_store.h"
#include "sign_in.h"
#include "single_sign_on.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "user_directory.h"

namespace ss::auth {

class AuthGrpcService final : public streamspace::auth::v1::AuthService::Service {
 public:
  AuthGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                  std::shared_ptr<rpc::Auditor> auditor, SignIn& sign_in, UserDirectory& users,
                  GroupRoster& groups, const KeyRing& keys, SessionStore& sessions,
                  ApiTokens& tokens, AuditLog& audit, SingleSignOn& sso);

  grpc::Status Login(grpc::ServerContext* context,
                     const streamspace::auth::v1::LoginRequest* request,
                     streamspace::auth::v1::LoginResponse* response) override;
  grpc::Status Refresh(grpc::ServerContext* context,
                       const streamspace::auth::v1::RefreshRequest* request,
                       streamspace::auth::v1::LoginResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context,
                      const streamspace::auth::v1::LogoutRequest* request,
                      streamspace::auth::v1::LogoutResponse* response) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const streamspace::auth::v1::ChangePasswordRequest* request,
                              streamspace::auth::v1::ChangePasswordResponse* response) override;
  grpc::Status GetJwks(grpc::ServerContext* context,
                       const streamspace::auth::v1::GetJwksRequest* request,
                       streamspace::auth::v1::Jwks* response) override;
  grpc::Status GetMe(grpc::ServerContext* context,
                     const streamspace::auth::v1::GetMeRequest* request,
                     streamspace::auth::v1::User* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context,
                         const streamspace::auth::v1::ListUsersRequest* request,
                         streamspace::auth::v1::ListUsersResponse* response) override;
  grpc::Status CreateUser(grpc::ServerContext* context,
                          const streamspace::auth::v1::CreateUserRequest* request,
                          streamspace::auth::v1::User* response) override;
  grpc::Status GetUser(grpc::ServerContext* context,
                       const streamspace::auth::v1::GetUserRequest* request,
                       streamspace::auth::v1::User* response) override;
  grpc::Status UpdateUser(grpc::ServerContext* context,
                          const streamspace::auth::v1::UpdateUserRequest* request,
                          streamspace::auth::v1::User* response) override;
  grpc::Status DeleteUser(grpc::ServerContext* context,
                          const streamspace::auth::v1::DeleteUserRequest* request,
                          streamspace::auth::v1::DeleteUserResponse* response) override;
  grpc::Status IssueServiceToken(
      grpc::ServerContext* context, const streamspace::auth::v1::IssueServiceTokenRequest* request,
      streamspace::auth::v1::IssueServiceTokenResponse* response) override;
  grpc::Status ListRevocations(grpc::ServerContext* context,
                               const streamspace::auth::v1::ListRevocationsRequest* request,
                               streamspace::auth::v1::ListRevocationsResponse* response) override;
  grpc::Status GetUserStats(grpc::ServerContext* context,
                            const streamspace::auth::v1::GetUserStatsRequest* request,
                            streamspace::auth::v1::UserStats* response) override;

  grpc::Status ListGroups(grpc::ServerContext* context,
                          const streamspace::auth::v1::ListGroupsRequest* request,
                          streamspace::auth::v1::ListGroupsResponse* response) override;
  grpc::Status CreateGroup(grpc::ServerContext* context,
                           const streamspace::auth::v1::CreateGroupRequest* request,
                           streamspace::auth::v1::Group* response) override;
  grpc::Status GetGroup(grpc::ServerContext* context,
                        const streamspace::auth::v1::GetGroupRequest* request,
                        streamspace::auth::v1::Group* response) override;
  grpc::Status UpdateGroup(grpc::ServerContext* context,
                           const streamspace::auth::v1::UpdateGroupRequest* request,
                           streamspace::auth::v1::Group* response) override;
  grpc::Status DeleteGroup(grpc::ServerContext* context,
                           const streamspace::auth::v1::DeleteGroupRequest* request,
                           streamspace::auth::v1::DeleteGroupResponse* response) override;
  grpc::Status ListGroupMembers(grpc::ServerContext* context,
                                const streamspace::auth::v1::ListGroupMembersRequest* request,
                                streamspace::auth::v1::ListGroupMembersResponse* response) override;
  grpc::Status AddGroupMember(grpc::ServerContext* context,
                              const streamspace::auth::v1::AddGroupMemberRequest* request,
                              streamspace::auth::v1::GroupMember* response) override;
  grpc::Status UpdateGroupMember(grpc::ServerContext* context,
                                 const streamspace::auth::v1::UpdateGroupMemberRequest* request,
                                 streamspace::auth::v1::GroupMember* response) override;
  grpc::Status RemoveGroupMember(
      grpc::ServerContext* context, const streamspace::auth::v1::RemoveGroupMemberRequest* request,
      streamspace::auth::v1::RemoveGroupMemberResponse* response) override;
  grpc::Status ListUserGroups(grpc::ServerContext* context,
                              const streamspace::auth::v1::ListUserGroupsRequest* request,
                              streamspace::auth::v1::ListGroupsResponse* response) override;
  grpc::Status GetGroupDirectory(grpc::ServerContext* context,
                                 const streamspace::auth::v1::GetGroupDirectoryRequest* request,
                                 streamspace::auth::v1::GroupDirectory* response) override;

  grpc::Status CreateApiToken(grpc::ServerContext* context,
                              const streamspace::auth::v1::CreateApiTokenRequest* request,
                              streamspace::auth::v1::CreatedApiToken* response) override;
  grpc::Status ListApiTokens(grpc::ServerContext* context,
                             const streamspace::auth::v1::ListApiTokensRequest* request,
                             streamspace::auth::v1::ListApiTokensResponse* response) override;
  grpc::Status DeleteApiToken(grpc::ServerContext* context,
                              const streamspace::auth::v1::DeleteApiTokenRequest* request,
                              streamspace::auth::v1::DeleteApiTokenResponse* response) override;
  grpc::Status SyncApiTokens(grpc::ServerContext* context,
                             const streamspace::auth::v1::SyncApiTokensRequest* request,
                             streamspace::auth::v1::ApiTokenDirectory* response) override;
  grpc::Status RecordAudit(grpc::ServerContext* context,
                           const streamspace::auth::v1::RecordAuditRequest* request,
                           streamspace::auth::v1::RecordAuditResponse* response) override;
  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const streamspace::auth::v1::ListAuditEventsRequest* request,
                               streamspace::auth::v1::ListAuditEventsResponse* response) override;

  grpc::Status GetSignInToken(grpc::ServerContext* context,
                              const streamspace::auth::v1::GetSignInTokenRequest* request,
                              streamspace::auth::v1::LoginResponse* response) override;
  grpc::Status GetSamlMetadata(grpc::ServerContext* context,
                               const streamspace::auth::v1::GetSamlMetadataRequest* request,
                               streamspace::auth::v1::SamlMetadata* response) override;
  grpc::Status StartSamlLogin(grpc::ServerContext* context,
                              const streamspace::auth::v1::StartSsoLoginRequest* request,
                              streamspace::auth::v1::SsoRedirect* response) override;
  grpc::Status ConsumeSamlResponse(grpc::ServerContext* context,
                                   const streamspace::auth::v1::SamlPostRequest* request,
                                   streamspace::auth::v1::SsoSignIn* response) override;
  grpc::Status SamlLogoutRedirect(grpc::ServerContext* context,
                                  const streamspace::auth::v1::SamlRedirectRequest* request,
                                  streamspace::auth::v1::SsoRedirect* response) override;
  grpc::Status SamlLogoutPost(grpc::ServerContext* context,
                              const streamspace::auth::v1::SamlPostRequest* request,
                              streamspace::auth::v1::SsoRedirect* response) override;
  grpc::Status StartSamlLogout(grpc::ServerContext* context,
                               const streamspace::auth::v1::StartSamlLogoutRequest* request,
                               streamspace::auth::v1::SsoRedirect* response) override;
  grpc::Status StartOidcLogin(grpc::ServerContext* context,
                              const streamspace::auth::v1::StartSsoLoginRequest* request,
                              streamspace::auth::v1::SsoRedirect* response) override;
  grpc::Status CompleteOidcLogin(grpc::ServerContext* context,
                                 const streamspace::auth::v1::OidcCallbackRequest* request,
                                 streamspace::auth::v1::SsoSignIn* response) override;

 private:
  rpc::AccessGuard guard_;
  SignIn& sign_in_;
  UserDirectory& users_;
  GroupRoster& groups_;
  const KeyRing& keys_;
  SessionStore& sessions_;
  ApiTokens& tokens_;
  AuditLog& audit_;
  SingleSignOn& sso_;
};

}  // namespace ss::auth
