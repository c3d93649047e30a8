// Signing in and out: passwords to tokens, renewal of a still-valid access token, logout, one's
// own password change, and service tokens. Plain logic over the stores; the gRPC adapter only
// checks access and converts errors.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <string>
#include <vector>

#include "authn/token.h"
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
  // How long after the password a sign-in can still be renewed.
  std::chrono::milliseconds sign_in_ttl{std::chrono::hours(720)};
  ThrottlePolicy throttle;
};

// How long a revocation must be kept so that every token it can match has expired: the access
// TTL, the verifiers' clock leeway, and a minute of margin.
int64_t RevocationLifetimeMs(std::chrono::milliseconds access_ttl);

// SIGN_IN_TTL and SERVICE_CLIENTS (ServiceClients), and the options from the first.
std::vector<core::Variable> SignInVariables();
SignInOptions SignInOptionsFrom(const core::Config& config);

class SignIn {
 public:
  // `verifier` checks the tokens presented for renewal (signature, expiry, revocation).
  SignIn(UserStore& users, SessionStore& sessions, const TokenIssuer& issuer,
         const authn::TokenVerifier& verifier, const ServiceClients& clients,
         SignInOptions options);

  // On RESOURCE_EXHAUSTED, *retry_after_seconds says when to try again.
  grpc::Status Login(const streamspace::auth::v1::LoginRequest& request,
                     const std::string& client_address,
                     streamspace::auth::v1::LoginResponse* response, int* retry_after_seconds);
  grpc::Status Refresh(const streamspace::auth::v1::RefreshRequest& request,
                       streamspace::auth::v1::LoginResponse* response);
  // Refresh for the caller's own verified token (the sign-in cookie's, after a redirect sign-in).
  grpc::Status Renew(const rpc::Principal& caller, streamspace::auth::v1::LoginResponse* response);
  // A sign-in through an identity provider (UserStore::SignInFederated): a username that belongs
  // to another account is ALREADY_EXISTS, a disabled account PERMISSION_DENIED.
  grpc::Status Federated(const FederatedIdentity& identity, const std::optional<SamlSignIn>& saml,
                         streamspace::auth::v1::LoginResponse* response);
  // When a revocation made now must be kept until (ms since the epoch).
  int64_t RevocationExpiresAtMs() const;
  grpc::Status Logout(const rpc::Principal& caller);
  // A wrong old password is PERMISSION_DENIED and counts as a failed login (throttled like one:
  // RESOURCE_EXHAUSTED with *retry_after_seconds).
  grpc::Status ChangePassword(const rpc::Principal& caller,
                              const streamspace::auth::v1::ChangePasswordRequest& request,
                              const std::string& client_address, int* retry_after_seconds);
  grpc::Status IssueServiceToken(const streamspace::auth::v1::IssueServiceTokenRequest& request,
                                 streamspace::auth::v1::IssueServiceTokenResponse* response);

 private:
  // Seconds to wait when this account or address has failed too often, else nullopt.
  std::optional<int> Throttled(const std::string& username, const std::string& address);
  grpc::Status Issue(const streamspace::auth::v1::User& user, const std::string& session_id,
                     streamspace::auth::v1::LoginResponse* response) const;
  grpc::Status RenewSignIn(const std::string& user_id, const std::string& session_id,
                           int64_t issued_at_ms, streamspace::auth::v1::LoginResponse* response);

  UserStore& users_;
  SessionStore& sessions_;
  const TokenIssuer& issuer_;
  const authn::TokenVerifier& verifier_;
  const ServiceClients& clients_;
  SignInOptions options_;
};

}  // namespace ss::auth
