// Feeds the auth service's own Verifier from its store instead of over gRPC: keys from the key
// ring (refreshed, and rotated when due, on every fetch), revocations and API tokens from the
// tables. Also prunes expired rows (revocations, sign-ins, old API tokens, old audit events) once a
// minute, since it already runs on a steady tick.
#pragma once

#include <chrono>

#include "api_tokens.h"
#include "audit_log.h"
#include "authn/refresher.h"
#include "authn/remote.h"
#include "core/config.h"
#include "key_ring.h"
#include "session_store.h"

namespace ss::auth {

inline constexpr int kRevocationBatchLimit = 10000;

class StoreFeed final : public authn::AuthFeed {
 public:
  StoreFeed(KeyRing& keys, SessionStore& sessions, ApiTokens& tokens, AuditLog& audit,
            ThrottlePolicy throttle)
      : keys_(keys), sessions_(sessions), tokens_(tokens), audit_(audit), throttle_(throttle) {}

  bool FetchKeys(std::vector<authn::Jwk>* keys, std::string* error) override;
  bool FetchRevocations(int64_t after, authn::RevocationBatch* batch, std::string* error) override;
  bool SyncApiTokens(int64_t known_version, const std::vector<authn::ApiTokenUse>& uses,
                     authn::ApiTokenSnapshot* snapshot, std::string* error) override;

 private:
  KeyRing& keys_;
  SessionStore& sessions_;
  ApiTokens& tokens_;
  AuditLog& audit_;
  ThrottlePolicy throttle_;
  std::chrono::steady_clock::time_point next_prune_{};
};

// auth verifies tokens like everyone else, but fed from its own tables every second by a
// StoreFeed. Throws when the first keys and revocations are not loaded within `timeout`.
class LocalVerifier {
 public:
  LocalVerifier(const core::Config& config, KeyRing& keys, SessionStore& sessions,
                ApiTokens& tokens, AuditLog& audit, ThrottlePolicy throttle,
                std::chrono::milliseconds timeout);

  const std::shared_ptr<authn::Verifier>& verifier() const { return verifier_; }

 private:
  std::shared_ptr<authn::Verifier> verifier_;
  authn::VerifierRefresher refresher_;
};

}  // namespace ss::auth
