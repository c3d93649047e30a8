// The gRPC face of the auth service: every handler checks access first (rpc::Handle), then hands
// the request to the plain logic classes and turns failures of the database into UNAVAILABLE.
#pragma once

#include "key_ring.h"
#include "rpc/call.h"
#include "session_store.h"
#include "sign_in.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "user_directory.h"

namespace ss::auth {

class AuthGrpcService final : public streamspace::auth::v1::AuthService::Service {
 public:
  AuthGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier, SignIn& sign_in,
                  UserDirectory& users, const KeyRing& keys, SessionStore& sessions);

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

 private:
  rpc::AccessGuard guard_;
  SignIn& sign_in_;
  UserDirectory& users_;
  const KeyRing& keys_;
  SessionStore& sessions_;
};

}  // namespace ss::auth
