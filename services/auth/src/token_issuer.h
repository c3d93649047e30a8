// Makes access tokens for users and services: the claims of /tmp/TEAM.md, signed by the key
// ring's current key.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "authn/signing_key.h"
#include "core/config.h"

namespace ss::auth {

struct TokenOptions {
  std::string issuer = "streamspace";
  std::string audience = "streamspace";
  std::chrono::milliseconds access_ttl{std::chrono::minutes(15)};
  std::chrono::milliseconds service_ttl{std::chrono::minutes(15)};
};

// AUTH_ISSUER, AUTH_AUDIENCE (authn::IssuerVariables) and ACCESS_TOKEN_TTL, and the options from
// them.
std::vector<core::Variable> TokenVariables();
TokenOptions TokenOptionsFrom(const core::Config& config);

struct IssuedToken {
  std::string token;
  int64_t expires_at_ms = 0;
};

class TokenIssuer {
 public:
  using KeySource = std::function<std::shared_ptr<const authn::SigningKey>()>;
  using Clock = std::function<int64_t()>;

  TokenIssuer(KeySource current_key, TokenOptions options, Clock now_ms);

  // nullopt when there is no signing key yet (the caller answers UNAVAILABLE).
  std::optional<IssuedToken> ForUser(const std::string& user_id, const std::string& username,
                                     const std::string& role, const std::string& session_id) const;
  // sub "service:<name>", role service, a sign-in session of its own.
  std::optional<IssuedToken> ForService(const std::string& service) const;

  const TokenOptions& options() const { return options_; }

 private:
  std::optional<IssuedToken> Sign(authn::Claims claims, std::chrono::milliseconds ttl) const;

  KeySource current_key_;
  TokenOptions options_;
  Clock now_ms_;
};

// A random version-4 UUID in canonical text form (sign-in session ids).
std::string NewUuid();

}  // namespace ss::auth
