// The TokenVerifier every process uses: signature by a pinned key of the current KeySet, then
// iss and aud, then exp, nbf and revocation. Tokens whose signature was checked are cached, so a
// repeated token costs a hash lookup plus the expiry and revocation checks.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "authn/api_tokens.h"
#include "authn/key_set.h"
#include "authn/revocation_list.h"
#include "authn/token.h"

namespace ss::authn {

namespace detail {
class TokenCache;
}

struct VerifierOptions {
  std::string issuer = "streamspace";
  std::string audience = "streamspace";
  // Tolerated clock skew for nbf (at most 30 s): a verifier whose clock lags the issuer's must
  // still accept a token issued a moment ago. exp gets none, so no token outlives its TTL; a
  // verifier running ahead only ends tokens a little early, and clients refresh.
  std::chrono::milliseconds not_before_leeway{30000};
  std::size_t cache_capacity = 16384;
  // Milliseconds since the epoch; replaceable in tests.
  std::function<int64_t()> now_ms;
};

// Milliseconds since the epoch from the system clock.
int64_t SystemNowMs();

class Verifier final : public TokenVerifier {
 public:
  explicit Verifier(VerifierOptions options);
  ~Verifier() override;

  VerifyResult Verify(std::string_view token) const override;

  // Replaces the trusted keys. Cached tokens of a key that left the set stop verifying.
  void SetKeys(KeySet keys);
  // Adds a batch of revocations (see RevocationList::Apply).
  void ApplyRevocations(const RevocationBatch& batch);
  int64_t revocation_cursor() const;
  // Replaces the API tokens when the snapshot changed; notes its version either way.
  void SetApiTokens(ApiTokenSnapshot snapshot);
  int64_t api_token_version() const;
  // The last use of each API token verified since the previous call, for auth's listing.
  std::vector<ApiTokenUse> TakeApiTokenUses();

  // True once keys, revocations and API tokens were each loaded at least once. Before that every
  // token fails closed with kUnknownKey.
  bool ready() const {
    return keys_loaded_.load() && revocations_loaded_.load() && api_tokens_loaded_.load();
  }

  // Called on the verifying thread when a token names a kid that is not in the set, so the
  // owner can fetch the JWKS early (it rate-limits).
  void SetUnknownKeyListener(std::function<void()> listener);

 private:
  VerifyResult CheckSignedToken(std::string_view token, const KeySet& keys) const;
  TokenError CheckLive(const Claims& claims, int64_t now_ms) const;
  VerifyResult VerifyApiToken(std::string_view token, int64_t now_ms) const;
  void NotifyUnknownKey() const;

  VerifierOptions options_;
  std::unique_ptr<detail::TokenCache> cache_;
  mutable std::shared_mutex mutex_;
  std::shared_ptr<const KeySet> keys_;
  RevocationList revocations_;
  ApiTokenTable api_tokens_;
  std::atomic<bool> keys_loaded_{false};
  std::atomic<bool> revocations_loaded_{false};
  std::atomic<bool> api_tokens_loaded_{false};
  mutable std::mutex uses_mutex_;
  mutable std::unordered_map<std::string, int64_t> api_token_uses_;
  mutable std::mutex listener_mutex_;
  std::function<void()> unknown_key_listener_;
};

}  // namespace ss::authn
