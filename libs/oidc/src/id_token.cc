#include "oidc/id_token.h"

#include <algorithm>
#include <cmath>

#include "authn/encoding.h"
#include "jws.h"

namespace ss::oidc {
namespace {

// Far larger than any ID token; bounds the work a hostile token can ask for.
constexpr std::size_t kMaxTokenSize = 16384;
// OpenID Connect Core §2: sub is at most 255 ASCII characters.
constexpr std::size_t kMaxSubjectSize = 255;

// A value from the token for an error message: printable ASCII only, and short.
std::string Printable(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 40)) {
    out.push_back(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
  }
  return out;
}

std::string StringClaim(const nlohmann::json& claims, const std::string& name) {
  const auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Seconds since the epoch of a NumericDate claim, or nullopt when absent or not a number.
std::optional<double> DateClaim(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number())
    return std::nullopt;
  const double value = it->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

std::vector<std::string> Groups(const nlohmann::json& claims, const std::string& name) {
  std::vector<std::string> groups;
  const auto it = claims.find(name);
  if (it == claims.end())
    return groups;
  if (it->is_string()) {
    groups.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& entry : *it) {
      if (entry.is_string())
        groups.push_back(entry.get<std::string>());
    }
  }
  return groups;
}

std::optional<Error> CheckAudience(const nlohmann::json& claims, const std::string& client_id) {
  const auto aud = claims.find("aud");
  std::vector<std::string> audiences;
  if (aud != claims.end() && aud->is_string()) {
    audiences.push_back(aud->get<std::string>());
  } else if (aud != claims.end() && aud->is_array()) {
    for (const auto& entry : *aud) {
      if (entry.is_string())
        audiences.push_back(entry.get<std::string>());
    }
  }
  if (std::find(audiences.begin(), audiences.end(), client_id) == audiences.end())
    return MakeError(ErrorCode::kWrongAudience, "ID token audience does not include our client id");
  // Core §3.1.3.7 (4, 5): with several audiences, azp must name us; when present, it always must.
  const auto azp = claims.find("azp");
  const bool azp_present = azp != claims.end();
  if ((audiences.size() > 1 && !azp_present) ||
      (azp_present && (!azp->is_string() || azp->get<std::string>() != client_id))) {
    return MakeError(ErrorCode::kWrongAuthorizedParty,
                     "ID token authorized party (azp) is not our client id");
  }
  return std::nullopt;
}

std::optional<Error> CheckTimes(const nlohmann::json& claims, const IdTokenExpectations& expected) {
  const double now = std::chrono::duration<double>(expected.now.time_since_epoch()).count();
  const auto skew = static_cast<double>(expected.clock_skew.count());
  const auto exp = DateClaim(claims, "exp");
  const auto iat = DateClaim(claims, "iat");
  if (!exp || !iat)
    return MakeError(ErrorCode::kMalformedToken, "ID token lacks a numeric exp or iat");
  if (now >= *exp + skew)
    return MakeError(ErrorCode::kExpired, "ID token expired");
  if (*iat > now + skew)
    return MakeError(ErrorCode::kNotYetValid, "ID token issued in the future (iat)");
  if (claims.contains("nbf")) {
    const auto nbf = DateClaim(claims, "nbf");
    if (!nbf)
      return MakeError(ErrorCode::kMalformedToken, "ID token nbf is not a number");
    if (*nbf > now + skew)
      return MakeError(ErrorCode::kNotYetValid, "ID token not valid yet (nbf)");
  }
  return std::nullopt;
}

}  // namespace

Result<Identity> VerifyIdToken(std::string_view token, const KeySet& keys,
                               const IdTokenExpectations& expected) {
  if (token.empty() || token.size() > kMaxTokenSize)
    return MakeError(ErrorCode::kMalformedToken, "ID token missing or too large");
  const auto jws = detail::ParseCompact(token);
  if (!jws)
    return MakeError(ErrorCode::kMalformedToken, "ID token is not a compact JWS");
  // The pinned set comes first: "none", HS256 keyed with a public key and anything else we did
  // not choose fail before a key is even looked up.
  if (std::find(expected.algorithms.begin(), expected.algorithms.end(), jws->alg) ==
      expected.algorithms.end()) {
    return MakeError(ErrorCode::kUnsupportedAlgorithm,
                     "ID token algorithm \"" + Printable(jws->alg) + "\" is not allowed");
  }
  const VerificationKey* key = keys.Find(jws->kid);
  if (key == nullptr) {
    return MakeError(ErrorCode::kUnknownKey,
                     "ID token signed by unknown key \"" + Printable(jws->kid) + "\"");
  }
  if (!detail::AlgorithmFitsKey(jws->alg, *key) || (!key->alg.empty() && key->alg != jws->alg)) {
    return MakeError(ErrorCode::kUnsupportedAlgorithm,
                     "ID token algorithm \"" + Printable(jws->alg) + "\" does not match its key");
  }
  if (!detail::VerifySignature(*key, jws->alg, jws->signing_input, jws->signature))
    return MakeError(ErrorCode::kBadSignature, "ID token signature is not valid");

  nlohmann::json claims = nlohmann::json::parse(jws->payload, nullptr, false);
  if (claims.is_discarded() || !claims.is_object())
    return MakeError(ErrorCode::kMalformedToken, "ID token payload is not a JSON object");
  const auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != expected.issuer)
    return MakeError(ErrorCode::kWrongIssuer, "ID token issuer is not the configured issuer");
  if (auto error = CheckAudience(claims, expected.client_id))
    return std::move(*error);
  if (auto error = CheckTimes(claims, expected))
    return std::move(*error);
  const std::string nonce = StringClaim(claims, "nonce");
  if (expected.nonce.empty() || !authn::ConstantTimeEquals(nonce, expected.nonce))
    return MakeError(ErrorCode::kWrongNonce, "ID token nonce does not match the sign-in");
  Identity identity;
  identity.issuer = expected.issuer;
  identity.subject = StringClaim(claims, "sub");
  if (identity.subject.empty() || identity.subject.size() > kMaxSubjectSize)
    return MakeError(ErrorCode::kMissingSubject, "ID token has no usable sub");
  identity.username = StringClaim(claims, expected.claims.username);
  identity.email = StringClaim(claims, expected.claims.email);
  identity.display_name = StringClaim(claims, expected.claims.display_name);
  identity.groups = Groups(claims, expected.claims.groups);
  identity.claims = std::move(claims);
  return identity;
}

}  // namespace ss::oidc
