// The public keys a verifier trusts, by `kid`, each pinned to one algorithm. Immutable once built:
// a refresh builds a new set and swaps it in.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "authn/signing_key.h"

namespace ss::authn {

struct PublicKey {
  KeyHandle key;
  // A token naming this key must carry exactly this `alg`.
  std::string algorithm;
};

class KeySet {
 public:
  KeySet() = default;
  // Keeps the JWKs that are Ed25519 keys pinned to EdDSA; `rejected` (optional) gets the count
  // of the others.
  static KeySet FromJwks(const std::vector<Jwk>& jwks, int* rejected = nullptr);

  // nullptr when the kid is unknown.
  const PublicKey* Find(std::string_view kid) const;
  bool Contains(std::string_view kid) const { return Find(kid) != nullptr; }
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  // True if every kid of this set is also in `other`.
  bool IsSubsetOf(const KeySet& other) const;

 private:
  std::unordered_map<std::string, PublicKey> keys_;
};

}  // namespace ss::authn
