#include "authn/key_set.h"

namespace ss::authn {

KeySet KeySet::FromJwks(const std::vector<Jwk>& jwks, int* rejected) {
  KeySet set;
  int bad = 0;
  for (const Jwk& jwk : jwks) {
    KeyHandle key = jwk.alg == kEdDsa ? PublicKeyFromJwk(jwk) : nullptr;
    if (!key || jwk.kid.empty() || (!jwk.use.empty() && jwk.use != "sig")) {
      ++bad;
      continue;
    }
    set.keys_[jwk.kid] = PublicKey{std::move(key), jwk.alg};
  }
  if (rejected != nullptr)
    *rejected = bad;
  return set;
}

const PublicKey* KeySet::Find(std::string_view kid) const {
  const auto it = keys_.find(std::string(kid));
  return it == keys_.end() ? nullptr : &it->second;
}

bool KeySet::IsSubsetOf(const KeySet& other) const {
  for (const auto& [kid, key] : keys_) {
    if (!other.Contains(kid))
      return false;
  }
  return true;
}

}  // namespace ss::authn
