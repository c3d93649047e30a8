#include "sign_in.h"

#include <spdlog/spdlog.h>

#include "authn/verifier.h"
#include "core/rfc3339.h"
#include "passwords.h"
#include "rpc/validation.h"
#include "validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

// Verifiers accept a token up to 30 s before its nbf; a revocation outlasts that too.
constexpr int64_t kVerifierLeewayMs = 30'000;
constexpr int64_t kRevocationMarginMs = 60'000;
// Far above any token we sign; a longer one is refused before it is parsed.
constexpr std::size_t kMaxTokenLength = 8192;

std::string ExpiresAt(const IssuedToken& issued) {
  return core::FormatRfc3339(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(issued.expires_at_ms)));
}

grpc::Status Unauthenticated(std::string message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message));
}

using rpc::Invalid;

const grpc::Status& BadCredentials() {
  static const grpc::Status status = Unauthenticated("invalid username or password");
  return status;
}

grpc::Status NoSigningKey() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no signing key available yet");
}

grpc::Status TooManyFailures() {
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "too many failed logins; try again later");
}

// The password rules' answer, naming the request's field.
grpc::Status ForField(const char* field, const grpc::Status& status) {
  if (status.ok())
    return status;
  return Invalid(std::string(field) + ": " + status.error_message());
}

}  // namespace

int64_t RevocationLifetimeMs(std::chrono::milliseconds access_ttl) {
  return access_ttl.count() + kVerifierLeewayMs + kRevocationMarginMs;
}

std::vector<core::Variable> SignInVariables() {
  return {
      {"SIGN_IN_TTL", "720h",
       "How long after the password a sign-in can still be renewed (POST /api/v1/auth/refresh)."},
      {"SERVICE_CLIENTS", "", "Services that may get service tokens: <name>=<secret>,...", true},
  };
}

SignInOptions SignInOptionsFrom(const core::Config& config) {
  SignInOptions options;
  options.sign_in_ttl = config.GetDuration("SIGN_IN_TTL", std::chrono::minutes(1));
  return options;
}

SignIn::SignIn(UserStore& users, SessionStore& sessions, const TokenIssuer& issuer,
               const authn::TokenVerifier& verifier, const ServiceClients& clients,
               SignInOptions options)
    : users_(users),
      sessions_(sessions),
      issuer_(issuer),
      verifier_(verifier),
      clients_(clients),
      options_(options) {}

std::optional<int> SignIn::Throttled(const std::string& username, const std::string& address) {
  int64_t now_ms = 0;
  const RecentFailures failures = sessions_.Failures(username, address, options_.throttle, &now_ms);
  return RetryAfterSeconds(options_.throttle, failures, now_ms);
}

int64_t SignIn::RevocationExpiresAtMs() const {
  return authn::SystemNowMs() + RevocationLifetimeMs(issuer_.options().access_ttl);
}

grpc::Status SignIn::Login(const pb::LoginRequest& request, const std::string& client_address,
                           pb::LoginResponse* response, int* retry_after_seconds) {
  const auto username = rpc::NormalizeUsername(request.username());
  if (!username)
    return CheckUsername(request.username());
  if (grpc::Status status = CheckPresentedPassword(request.password()); !status.ok()) {
    return status;
  }
  const std::string address = ThrottleAddress(client_address);
  if (const auto wait = Throttled(*username, address)) {
    *retry_after_seconds = *wait;
    return TooManyFailures();
  }
  const std::optional<UserRow> row = users_.FindByUsername(*username);
  // Accounts of other providers have no password here; they cost the same time as a wrong one.
  const bool local = row && row->user.provider() == "local";
  const bool password_ok = local ? VerifyPassword(row->password_hash, request.password())
                                 : (VerifyAgainstDummy(request.password()), false);
  if (!password_ok) {
    sessions_.RecordFailure(*username, address);
    return BadCredentials();
  }
  if (!row->user.active())
    return Unauthenticated("account is disabled");
  const std::string session_id = NewUuid();
  const pb::User user =
      users_.RecordLogin(row->user.id(), *username, session_id, options_.sign_in_ttl.count());
  return Issue(user, session_id, response);
}

grpc::Status SignIn::Refresh(const pb::RefreshRequest& request, pb::LoginResponse* response) {
  if (request.token().empty())
    return Invalid("token is required");
  if (request.token().size() > kMaxTokenLength)
    return Unauthenticated(std::string(authn::Describe(authn::TokenError::kMalformed)));
  const authn::VerifyResult verified = verifier_.Verify(request.token());
  if (!verified.ok())
    return Unauthenticated(std::string(authn::Describe(verified.error)));
  const authn::Claims& claims = verified.claims;
  return RenewSignIn(claims.subject, claims.session_id, claims.issued_at_ms, response);
}

grpc::Status SignIn::Renew(const rpc::Principal& caller, pb::LoginResponse* response) {
  return RenewSignIn(caller.user_id, caller.session_id, caller.issued_at_ms, response);
}

grpc::Status SignIn::RenewSignIn(const std::string& user_id, const std::string& session_id,
                                 int64_t issued_at_ms, pb::LoginResponse* response) {
  if (!rpc::IsUuid(user_id) || !rpc::IsUuid(session_id))
    return Unauthenticated("only a user's sign-in can be renewed");
  // The verifier's revocation list trails logouts by up to a poll; the table does not.
  if (!sessions_.Renewable(session_id, user_id, issued_at_ms))
    return Unauthenticated("the sign-in has ended; sign in again");
  // The user as they are now: a deleted or disabled account gets nothing.
  const auto user = users_.FindById(user_id);
  if (!user)
    return Unauthenticated("the sign-in has ended; sign in again");
  if (!user->active())
    return Unauthenticated("account is disabled");
  return Issue(*user, session_id, response);
}

grpc::Status SignIn::Federated(const FederatedIdentity& identity,
                               const std::optional<SamlSignIn>& saml, pb::LoginResponse* response) {
  const std::string session_id = NewUuid();
  const UserRevocation revocation{authn::SystemNowMs(), RevocationExpiresAtMs()};
  pb::User user;
  switch (users_.SignInFederated(identity, saml, session_id, options_.sign_in_ttl.count(),
                                 revocation, &user)) {
    case FederatedResult::kUsernameTaken:
      spdlog::warn("{} sign-in of {} refused: the username {} belongs to another account",
                   identity.provider, identity.subject, identity.username);
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          "the username " + identity.username +
                              " belongs to another account; an administrator must rename one");
    case FederatedResult::kDisabled:
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "account is disabled");
    case FederatedResult::kSignedIn:
      break;
  }
  spdlog::info("{} signed in through {}", user.username(), identity.provider);
  return Issue(user, session_id, response);
}

grpc::Status SignIn::Logout(const rpc::Principal& caller) {
  if (!rpc::IsUuid(caller.session_id)) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the token has no sign-in session");
  }
  sessions_.RevokeSession(caller.session_id, RevocationExpiresAtMs());
  return grpc::Status::OK;
}

grpc::Status SignIn::ChangePassword(const rpc::Principal& caller,
                                    const pb::ChangePasswordRequest& request,
                                    const std::string& client_address, int* retry_after_seconds) {
  if (!rpc::IsUuid(caller.user_id) || !rpc::IsUuid(caller.session_id)) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "only a signed-in user has a password to change");
  }
  if (grpc::Status status = ForField("oldPassword", CheckPresentedPassword(request.old_password()));
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = ForField("newPassword", CheckNewPassword(request.new_password()));
      !status.ok()) {
    return status;
  }
  if (request.new_password() == request.old_password())
    return Invalid("newPassword must differ from oldPassword");
  const std::string address = ThrottleAddress(client_address);
  if (const auto wait = Throttled(caller.username, address)) {
    *retry_after_seconds = *wait;
    return TooManyFailures();
  }
  const std::optional<UserRow> row = users_.FindRowById(caller.user_id);
  if (!row)
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
  if (row->user.provider() != "local") {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        "the account signs in through " + row->user.provider() + " and has no password here");
  }
  if (!VerifyPassword(row->password_hash, request.old_password())) {
    sessions_.RecordFailure(row->user.username(), address);
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "oldPassword is wrong");
  }
  users_.ChangeOwnPassword(caller.user_id, caller.session_id, HashPassword(request.new_password()),
                           RevocationExpiresAtMs());
  spdlog::info("user {} changed their password: their other sign-ins ended", row->user.username());
  return grpc::Status::OK;
}

grpc::Status SignIn::IssueServiceToken(const pb::IssueServiceTokenRequest& request,
                                       pb::IssueServiceTokenResponse* response) {
  if (!IsServiceName(request.service())) {
    return Invalid("service must be 1-64 characters of a-z, 0-9 and '-'");
  }
  if (request.secret().empty() || request.secret().size() > kMaxPassword) {
    return Invalid("secret is required");
  }
  if (!clients_.Accepts(request.service(), request.secret())) {
    spdlog::warn("service token refused for {}", request.service());
    return Unauthenticated("invalid service credentials");
  }
  const auto issued = issuer_.ForService(request.service());
  if (!issued)
    return NoSigningKey();
  response->set_token(issued->token);
  response->set_expires_at(ExpiresAt(*issued));
  return grpc::Status::OK;
}

grpc::Status SignIn::Issue(const pb::User& user, const std::string& session_id,
                           pb::LoginResponse* response) const {
  const auto issued = issuer_.ForUser(user.id(), user.username(), user.role(), session_id);
  if (!issued)
    return NoSigningKey();
  response->set_token(issued->token);
  response->set_expires_at(ExpiresAt(*issued));
  *response->mutable_user() = user;
  return grpc::Status::OK;
}

}  // namespace ss::auth
