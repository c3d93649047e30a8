// What a relying party needs to know about its OpenID provider and itself.
//
// The issuer, and every endpoint its discovery document names, must be HTTPS. Plain HTTP is
// accepted only for loopback hosts (127.0.0.0/8, ::1, localhost), where tests run their provider.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/error.h"

namespace ss::oidc {

// The ID-token claims that carry each part of a user's identity.
struct ClaimNames {
  std::string username = "preferred_username";
  std::string email = "email";
  std::string display_name = "name";
  // A JSON array of strings, or a single string.
  std::string groups = "groups";
};

// The algorithms this library can verify: RS256, RS384, RS512 (RSA keys of 2048 bits or more),
// ES256 (P-256) and ES384 (P-384). "none" and every HS* are never accepted.
const std::vector<std::string>& SupportedAlgorithms();

struct Config {
  // Compared byte for byte with the discovery document's and the ID token's `iss`.
  std::string issuer;
  std::string client_id;
  // Sent only to the token endpoint (client_secret_basic); never logged, never in an Error.
  std::string client_secret;
  // The callback URL registered at the provider; sent as redirect_uri.
  std::string redirect_uri;
  // Space-separated; must contain "openid".
  std::string scopes = "openid email profile";
  // The ID-token algorithms accepted (a subset of SupportedAlgorithms()).
  std::vector<std::string> algorithms = {"RS256", "ES256"};
  // Allowed difference between our clock and the provider's for exp, iat and nbf.
  std::chrono::seconds clock_skew{60};
  ClaimNames claims;
  // Per HTTP call (connect, send, answer).
  std::chrono::milliseconds http_timeout{10000};
  // Discovery and JWKS are fetched again when older than this, on the next use.
  std::chrono::seconds metadata_max_age{3600};
  // An ID token naming an unknown kid fetches the JWKS again at most this often.
  std::chrono::milliseconds unknown_key_refetch_interval{10000};
  // The current time; replaceable in tests (nullptr: the system clock).
  std::function<std::chrono::system_clock::time_point()> now;
};

// Why `config` cannot be used, or nullopt when it can. The message names the field, never the
// secret's value.
std::optional<Error> CheckConfig(const Config& config);

// True for http(s) URLs whose host is a loopback address or "localhost".
bool IsLoopbackUrl(std::string_view url);
// True for https URLs, and for http URLs on a loopback host.
bool IsAllowedUrl(std::string_view url);

}  // namespace ss::oidc
