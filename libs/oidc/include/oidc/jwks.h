// A provider's signing keys from its JWKS document (RFC 7517): RSA keys (n, e) and EC keys on
// P-256 or P-384 (x, y) as OpenSSL public keys, by kid. Immutable once parsed, so one set may be
// read by many threads while a refresh builds the next one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "oidc/error.h"

struct evp_pkey_st;

namespace ss::oidc {

struct VerificationKey {
  std::shared_ptr<evp_pkey_st> key;
  // "RSA" or "EC".
  std::string kty;
  // "P-256" or "P-384" for EC keys; empty for RSA.
  std::string crv;
  // The JWK's own `alg` when it states one: a token must then use exactly that algorithm.
  std::string alg;
};

class KeySet {
 public:
  KeySet() = default;

  // The usable keys of a JWKS document. Keys that are not for signatures (`use` other than
  // "sig"), of another type or curve, RSA keys under 2048 bits and malformed keys are skipped and
  // counted in *skipped (optional). An Error only when the document itself is not a JWKS.
  static Result<KeySet> Parse(std::string_view document, int* skipped = nullptr);

  // The key a token's header names: by kid; a token without a kid gets the only key of the set,
  // if there is exactly one. nullptr when there is none.
  const VerificationKey* Find(std::string_view kid) const;
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  std::unordered_map<std::string, VerificationKey> keys_;
};

}  // namespace ss::oidc
