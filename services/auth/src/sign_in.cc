#include "sign_in.h"

#include <spdlog/spdlog.h>

#include "authn/encoding.h"
#include "authn/verifier.h"
#include "core/rfc3339.h"
#include "passwords.h"
#include "validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

constexpr std::size_t kRefreshTokenBytes = 32;
// Verifiers accept a token up to 30 s before its nbf; a revocation outlasts that too.
constexpr int64_t kVerifierLeewayMs = 30'000;
constexpr int64_t kRevocationMarginMs = 60'000;

std::string ExpiresAt(const IssuedToken& issued) {
  return core::FormatRfc3339(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(issued.expires_at_ms)));
}

grpc::Status Unauthenticated(std::string message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message));
}

const grpc::Status& BadCredentials() {
  static const grpc::Status status = Unauthenticated("invalid username or password");
  return status;
}

grpc::Status NoSigningKey() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no signing key available yet");
}

bool IsRefreshTokenShaped(const std::string& token) {
  std::string bytes;
  return token.size() <= 64 && authn::Base64UrlDecode(token, &bytes);
}

}  // namespace

int64_t RevocationLifetimeMs(std::chrono::milliseconds access_ttl) {
  return access_ttl.count() + kVerifierLeewayMs + kRevocationMarginMs;
}

std::string NewRefreshToken() {
  return authn::Base64UrlEncode(authn::RandomBytes(kRefreshTokenBytes));
}

std::string RefreshTokenHash(const std::string& refresh_token) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : authn::Sha256(refresh_token)) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

std::vector<core::Variable> SignInVariables() {
  return {
      {"REFRESH_TOKEN_TTL", "720h", "Lifetime of refresh tokens."},
      {"SERVICE_CLIENTS", "", "Services that may get service tokens: <name>=<secret>,...", true},
  };
}

SignInOptions SignInOptionsFrom(const core::Config& config) {
  SignInOptions options;
  options.refresh_ttl = config.GetDuration("REFRESH_TOKEN_TTL", std::chrono::minutes(1));
  return options;
}

SignIn::SignIn(UserStore& users, SessionStore& sessions, const TokenIssuer& issuer,
               const ServiceClients& clients, SignInOptions options)
    : users_(users), sessions_(sessions), issuer_(issuer), clients_(clients), options_(options) {}

grpc::Status SignIn::Login(const pb::LoginRequest& request, const std::string& client_address,
                           pb::LoginResponse* response, int* retry_after_seconds) {
  const auto username = NormalizeUsername(request.username());
  if (!username)
    return CheckUsername(request.username());
  if (grpc::Status status = CheckPresentedPassword(request.password()); !status.ok()) {
    return status;
  }
  const std::string address = ThrottleAddress(client_address);
  int64_t now_ms = 0;
  const RecentFailures failures =
      sessions_.Failures(*username, address, options_.throttle, &now_ms);
  if (const auto wait = RetryAfterSeconds(options_.throttle, failures, now_ms)) {
    *retry_after_seconds = *wait;
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "too many failed logins; try again later");
  }
  const std::optional<UserRow> row = users_.FindByUsername(*username);
  const bool password_ok = row ? VerifyPassword(row->password_hash, request.password())
                               : (VerifyAgainstDummy(request.password()), false);
  if (!password_ok) {
    sessions_.RecordFailure(*username, address);
    return BadCredentials();
  }
  if (row->user.disabled())
    return Unauthenticated("account is disabled");
  const std::string session_id = NewUuid();
  const std::string refresh_token = NewRefreshToken();
  const pb::User user =
      users_.RecordLogin(row->user.id(), *username, RefreshTokenHash(refresh_token), session_id,
                         options_.refresh_ttl.count());
  return IssuePair(user, session_id, refresh_token, response);
}

grpc::Status SignIn::Refresh(const pb::RefreshRequest& request, pb::LoginResponse* response) {
  if (request.refresh_token().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "refreshToken is required");
  }
  if (!IsRefreshTokenShaped(request.refresh_token())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "refreshToken is malformed");
  }
  const std::string next = NewRefreshToken();
  const RotatedRefresh rotated =
      sessions_.Rotate(RefreshTokenHash(request.refresh_token()), RefreshTokenHash(next),
                       options_.refresh_ttl.count(),
                       authn::SystemNowMs() + RevocationLifetimeMs(issuer_.options().access_ttl));
  switch (rotated.result) {
    case RotatedRefresh::Result::kRotated:
      break;
    case RotatedRefresh::Result::kReused:
      spdlog::warn("refresh token reused: sign-in session {} ended", rotated.session_id);
      return Unauthenticated("refresh token is no longer valid");
    case RotatedRefresh::Result::kInvalid:
      return Unauthenticated("refresh token is no longer valid");
  }
  // The user as they are now: a role change applies to the new token, a deleted or disabled
  // account gets none.
  const auto user = users_.FindById(rotated.user_id);
  if (!user)
    return Unauthenticated("refresh token is no longer valid");
  if (user->disabled())
    return Unauthenticated("account is disabled");
  return IssuePair(*user, rotated.session_id, next, response);
}

grpc::Status SignIn::Logout(const rpc::Principal& caller) {
  if (!rpc::IsUuid(caller.session_id)) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the token has no sign-in session");
  }
  sessions_.RevokeSession(
      caller.session_id, authn::SystemNowMs() + RevocationLifetimeMs(issuer_.options().access_ttl));
  return grpc::Status::OK;
}

grpc::Status SignIn::IssueServiceToken(const pb::IssueServiceTokenRequest& request,
                                       pb::IssueServiceTokenResponse* response) {
  if (!IsServiceName(request.service())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "service must be 1-64 characters of a-z, 0-9 and '-'");
  }
  if (request.secret().empty() || request.secret().size() > kMaxPassword) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "secret is required");
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

grpc::Status SignIn::IssuePair(const pb::User& user, const std::string& session_id,
                               const std::string& refresh_token,
                               pb::LoginResponse* response) const {
  const auto issued = issuer_.ForUser(user.id(), user.username(), user.role(), session_id);
  if (!issued)
    return NoSigningKey();
  response->set_token(issued->token);
  response->set_refresh_token(refresh_token);
  response->set_expires_at(ExpiresAt(*issued));
  *response->mutable_user() = user;
  return grpc::Status::OK;
}

}  // namespace ss::auth
