#include "token_issuer.h"

#include "authn/encoding.h"
#include "authn/remote.h"

namespace ss::auth {

std::vector<core::Variable> TokenVariables() {
  return core::JoinVariables(
      {authn::IssuerVariables(), {{"ACCESS_TOKEN_TTL", "15m", "Lifetime of access tokens."}}});
}

TokenOptions TokenOptionsFrom(const core::Config& config) {
  TokenOptions options;
  options.issuer = config.Get("AUTH_ISSUER");
  options.audience = config.Get("AUTH_AUDIENCE");
  options.access_ttl = config.GetDuration("ACCESS_TOKEN_TTL", std::chrono::seconds(1));
  return options;
}

TokenIssuer::TokenIssuer(KeySource current_key, TokenOptions options, Clock now_ms)
    : current_key_(std::move(current_key)),
      options_(std::move(options)),
      now_ms_(std::move(now_ms)) {}

std::optional<IssuedToken> TokenIssuer::ForUser(const std::string& user_id,
                                                const std::string& username,
                                                const std::string& role,
                                                const std::string& session_id) const {
  authn::Claims claims;
  claims.subject = user_id;
  claims.username = username;
  claims.role = role;
  claims.session_id = session_id;
  return Sign(std::move(claims), options_.access_ttl);
}

std::optional<IssuedToken> TokenIssuer::ForService(const std::string& service) const {
  authn::Claims claims;
  claims.subject = "service:" + service;
  claims.username = service;
  claims.role = "service";
  claims.session_id = NewUuid();
  return Sign(std::move(claims), options_.service_ttl);
}

std::optional<IssuedToken> TokenIssuer::Sign(authn::Claims claims,
                                             std::chrono::milliseconds ttl) const {
  const auto key = current_key_();
  if (!key)
    return std::nullopt;
  const int64_t now = now_ms_();
  claims.issuer = options_.issuer;
  claims.audience = options_.audience;
  claims.issued_at_ms = now;
  claims.not_before_ms = now;
  // exp travels in whole seconds: round down so the token never outlives its TTL.
  claims.expires_at_ms = (now + ttl.count()) / 1000 * 1000;
  return IssuedToken{key->Sign(claims), claims.expires_at_ms};
}

std::string NewUuid() {
  std::string bytes = authn::RandomBytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      text.push_back('-');
    const auto byte = static_cast<unsigned char>(bytes[i]);
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 15]);
  }
  return text;
}

}  // namespace ss::auth
