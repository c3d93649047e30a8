// Signing in and out: passwords to tokens, refresh-token rotation, logout, and service tokens.
// Plain logic over the stores; the gRPC adapter only checks access and converts errors.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/config.h"
#include "login_throttle.h"
#include "rpc/call.h"
#include "service_clients.h"
#include "session_store.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "token_issuer.h"
#include "user_store.h"

namespace ss::auth {

struct SignInOptions {
  std::chrono::milliseconds refresh_ttl{std::chrono::hours(720)};
  ThrottlePolicy throttle;
};

// How long a revocation must be kept so that every token it can match has expired: the access
// TTL, the verifiers' clock leeway, and a minute of margin.
int64_t RevocationLifetimeMs(std::chrono::milliseconds access_ttl);

// REFRESH_TOKEN_TTL and SERVICE_CLIENTS (ServiceClients), and the options from the first.
std::vector<core::Variable> SignInVariables();
SignInOptions SignInOptionsFrom(const core::Config& config);

class SignIn {
 public:
  SignIn(UserStore& users, SessionStore& sessions, const TokenIssuer& issuer,
         const ServiceClients& clients, SignInOptions options);

  // On RESOURCE_EXHAUSTED, *retry_after_seconds says when to try again.
  grpc::Status Login(const streamspace::auth::v1::LoginRequest& request,
                     const std::string& client_address,
                     streamspace::auth::v1::LoginResponse* response, int* retry_after_seconds);
  grpc::Status Refresh(const streamspace::auth::v1::RefreshRequest& request,
                       streamspace::auth::v1::LoginResponse* response);
  grpc::Status Logout(const rpc::Principal& caller);
  grpc::Status IssueServiceToken(const streamspace::auth::v1::IssueServiceTokenRequest& request,
                                 streamspace::auth::v1::IssueServiceTokenResponse* response);

 private:
  grpc::Status IssuePair(const streamspace::auth::v1::User& user, const std::string& session_id,
                         const std::string& refresh_token,
                         streamspace::auth::v1::LoginResponse* response) const;

  UserStore& users_;
  SessionStore& sessions_;
  const TokenIssuer& issuer_;
  const ServiceClients& clients_;
  SignInOptions options_;
};

// A new refresh token: 32 random bytes, base64url.
std::string NewRefreshToken();
// What the store keeps of a refresh token: its SHA-256, hex.
std::string RefreshTokenHash(const std::string& refresh_token);

}  // namespace ss::auth
