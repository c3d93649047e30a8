// The OpenID Connect relying party that auth's /api/v1/auth/oidc/login and /callback routes call:
// the authorization code flow with PKCE (S256), `state` and `nonce`, discovery from the issuer,
// and the provider's JWKS kept current. No HTTP server and no database inside: the caller keeps
// the LoginRequest's secrets server-side between the two routes.
//
// Thread-safety: every method may be called from many threads at once. Discovery and JWKS are
// shared, immutable snapshots swapped under a lock; one thread at a time fetches them (a caller
// that still has a usable snapshot does not wait for a refresh). The HTTP calls block, so call
// from worker threads, never from an event loop.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "oidc/config.h"
#include "oidc/error.h"
#include "oidc/http.h"
#include "oidc/id_token.h"
#include "oidc/jwks.h"

namespace ss::oidc {

// The endpoints of the provider's discovery document (<issuer>/.well-known/openid-configuration).
struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
};

// A sign-in started by StartLogin. Only `authorization_url` goes to the browser; the caller
// stores state, nonce and code_verifier server-side (keyed by state, for a few minutes, used
// once) and gives nonce and code_verifier back to CompleteLogin.
struct LoginRequest {
  std::string authorization_url;
  // 256 random bits, base64url; also in the URL.
  std::string state;
  // 256 random bits, base64url; also in the URL, and expected back in the ID token.
  std::string nonce;
  // The PKCE secret (43 base64url characters); only its S256 challenge is in the URL.
  std::string code_verifier;
};

class RelyingParty {
 public:
  // Throws std::invalid_argument when CheckConfig(config) fails (a start-up error). Nothing is
  // fetched yet.
  RelyingParty(Config config, HttpTransportPtr http);
  ~RelyingParty();
  RelyingParty(const RelyingParty&) = delete;
  RelyingParty& operator=(const RelyingParty&) = delete;

  // The provider's endpoints, fetched with its JWKS when there are none yet or they are older
  // than metadata_max_age (an older snapshot is kept, with a warning in the log, when the
  // provider cannot be reached). Optional at start-up: the other calls do it on first use.
  Result<ProviderMetadata> Discover();

  // Fresh state, nonce and PKCE verifier, and the provider's authorization URL carrying
  // response_type=code, client_id, redirect_uri, scope, state, nonce, code_challenge and
  // code_challenge_method=S256.
  Result<LoginRequest> StartLogin();

  // The callback's second half, after the caller found the stored request by the callback's
  // `state` (StateMatches): exchanges `code` at the token endpoint (client_secret_basic, with
  // redirect_uri and code_verifier) and verifies the ID token (VerifyIdToken) against `nonce`.
  // An ID token naming an unknown kid fetches the JWKS again (rate-limited) and is checked once
  // more, so a key rotation at the provider needs no restart.
  Result<Identity> CompleteLogin(std::string_view code, std::string_view nonce,
                                 std::string_view code_verifier);

  // Compares a stored state with the callback's in time independent of where they differ;
  // false when either is empty.
  static bool StateMatches(std::string_view stored, std::string_view received);

  const Config& config() const { return config_; }

 private:
  struct Snapshot;
  using Clock = std::chrono::system_clock;

  Clock::time_point Now() const;
  Result<std::shared_ptr<const Snapshot>> Current();
  Result<std::shared_ptr<const Snapshot>> Fetch();
  Result<KeySet> FetchKeys(const std::string& jwks_uri);
  std::shared_ptr<const Snapshot> RefetchKeys(const std::shared_ptr<const Snapshot>& seen);
  Result<std::string> ExchangeCode(const ProviderMetadata& metadata, std::string_view code,
                                   std::string_view code_verifier);

  const Config config_;
  const HttpTransportPtr http_;
  // Guards snapshot_ (swapped, never changed in place).
  std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  // Held by the one thread fetching discovery or JWKS; guards last_keys_fetch_.
  std::mutex fetch_mutex_;
  Clock::time_point last_keys_fetch_{};
};

}  // namespace ss::oidc
