// Access tokens: compact JWS (RFC 7515/7519) signed with Ed25519 ("EdDSA"), verified with
// OpenSSL directly. The algorithm is pinned per key; exp, nbf, iss and aud are checked here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ss::authn {

struct Claims {
  // The user's id, or "service:<name>" for a service token.
  std::string subject;
  std::string username;
  // admin | user | service
  std::string role;
  // The sign-in session the token belongs to (revoked by logout).
  std::string session_id;
  std::string issuer;
  std::string audience;
  // Milliseconds since the epoch; `iat` may carry a fraction of a second on the wire.
  int64_t issued_at_ms = 0;
  int64_t not_before_ms = 0;
  int64_t expires_at_ms = 0;
  // Set for an API token (authn/api_tokens.h): its id and scopes ("<area>:read|write"); the role
  // is then its owner's role at this moment.
  std::string token_id;
  std::vector<std::string> scopes;
};

enum class TokenError {
  kNone,
  kMissing,
  kMalformed,
  kUnsupportedAlgorithm,
  kUnknownKey,
  kBadSignature,
  kExpired,
  kNotYetValid,
  kWrongIssuer,
  kWrongAudience,
  kRevoked,
  // An API token that no grant matches: never made, revoked, or its secret wrong.
  kUnknownToken,
};

// A short reason for logs and error messages ("token expired"); never contains the token.
std::string_view Describe(TokenError error);

struct VerifyResult {
  TokenError error = TokenError::kNone;
  Claims claims;
  bool ok() const { return error == TokenError::kNone; }
};

// Checks a bearer token. Implementations are thread-safe and cheap on a hot path: a token whose
// signature was checked once is not checked again, while expiry and revocation are checked on
// every call.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  virtual VerifyResult Verify(std::string_view token) const = 0;
};

}  // namespace ss::authn
