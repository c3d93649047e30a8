// The signing keys of the auth service, kept in schema auth so that every replica signs with the
// same key and publishes the same JWKS.
//
// Rotation: the oldest unretired key signs. Each key signs for SIGNING_KEY_ROTATION, the first
// from its creation, each successor from its predecessor's retirement; a successor is created
// KeyRingOptions::publish_ahead before that, so verifiers have it in their JWKS before the first
// token it signs. A retired key's public half stays published until every token it signed has
// expired.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "authn/signing_key.h"
#include "core/config.h"
#include "db/pool.h"
#include "token_issuer.h"

namespace ss::auth {

struct StoredKey {
  std::string kid;
  std::string private_key_pem;
  int64_t retires_at_ms = 0;
};

class KeyStore {
 public:
  explicit KeyStore(db::Pool& pool) : pool_(pool) {}
  // Keys retired less than `grace` ago, and every key not yet retired.
  std::vector<StoredKey> LoadPublishable(std::chrono::milliseconds grace);
  // Under an advisory lock (replicas starting together create one key, not two): if no key
  // retires later than `ahead` from now, stores `make()` retiring `rotation` after the last
  // retirement (or after now, if that is later).
  void EnsureKeyBeyond(std::chrono::milliseconds ahead, std::chrono::milliseconds rotation,
                       const std::function<authn::SigningKey()>& make);

 private:
  db::Pool& pool_;
};

struct KeyRingOptions {
  std::chrono::milliseconds rotation{std::chrono::hours(720)};
  // The longest life of any token we sign (plus verifier leeway): how long a retired key stays
  // published.
  std::chrono::milliseconds publish_after_retirement{std::chrono::minutes(17)};
  // How long before the signing key retires its successor is created and published.
  std::chrono::milliseconds publish_ahead{std::chrono::minutes(10)};
};

// SIGNING_KEY_ROTATION, and the options from it for keys that sign tokens of `tokens`.
std::vector<core::Variable> KeyRingVariables();
KeyRingOptions KeyRingOptionsFrom(const core::Config& config, const TokenOptions& tokens);

class KeyRing {
 public:
  KeyRing(KeyStore& store, KeyRingOptions options);

  // Loads the keys from the store, creating the first one or the next one when due. Throws on
  // database errors (the caller retries on its next tick).
  void Refresh();

  // The key that signs now; nullptr before the first Refresh.
  std::shared_ptr<const authn::SigningKey> Current() const;
  std::vector<authn::Jwk> PublicKeys() const;

 private:
  struct LoadedKey {
    std::shared_ptr<const authn::SigningKey> key;
    int64_t retires_at_ms = 0;
  };
  bool NeedsSuccessor(const std::vector<StoredKey>& keys, int64_t now_ms) const;

  KeyStore& store_;
  KeyRingOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, LoadedKey> keys_;
};

// A fresh random kid (16 hex characters).
std::string NewKid();

}  // namespace ss::auth
