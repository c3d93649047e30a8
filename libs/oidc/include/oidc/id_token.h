// ID-token verification (OpenID Connect Core §3.1.3.7), free of HTTP: a compact JWS checked
// against a KeySet and what the relying party expects of it.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/config.h"
#include "oidc/error.h"
#include "oidc/jwks.h"

namespace ss::oidc {

// Who signed in, as the ID token says.
struct Identity {
  // With `subject`, the stable key of an SSO user: (provider, issuer, subject).
  std::string issuer;
  std::string subject;
  // Each of these is empty when its claim (ClaimNames) is absent or not a string.
  std::string username;
  std::string email;
  std::string display_name;
  // From a JSON array of strings (other entries are ignored) or a single string.
  std::vector<std::string> groups;
  // Every claim of the ID token, for mappings beyond the ones above.
  nlohmann::json claims;
};

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  // The nonce handed out with the authorization request; compared in constant time.
  std::string nonce;
  std::vector<std::string> algorithms;
  std::chrono::seconds clock_skew{60};
  std::chrono::system_clock::time_point now;
  ClaimNames claims;
};

// The identity of a valid ID token, or why it is refused, in this order: malformed, algorithm
// (pinned set, then the key's type and the JWK's own alg), unknown key, signature, iss, aud and
// azp, exp, iat and nbf, nonce, sub. kUnknownKey tells the caller to fetch the JWKS again.
Result<Identity> VerifyIdToken(std::string_view token, const KeySet& keys,
                               const IdTokenExpectations& expected);

}  // namespace ss::oidc
