// Ed25519 keys that sign access tokens as compact JWS with `alg` "EdDSA", and their public
// halves as JSON Web Keys (RFC 8037).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "authn/token.h"

struct evp_pkey_st;

namespace ss::authn {

// The only algorithm our keys are pinned to.
inline constexpr std::string_view kEdDsa = "EdDSA";

// A public key as published in the JWKS: kty OKP, crv Ed25519, x = base64url public key.
struct Jwk {
  std::string kty = "OKP";
  std::string crv = "Ed25519";
  std::string kid;
  std::string alg = std::string(kEdDsa);
  std::string use = "sig";
  std::string x;
};

// An OpenSSL EVP_PKEY owned by a shared pointer (keys are read-only once made, so one key may
// sign or verify on many threads at once).
using KeyHandle = std::shared_ptr<evp_pkey_st>;

class SigningKey {
 public:
  // A fresh random key pair; throws std::runtime_error if OpenSSL fails.
  static SigningKey Generate(std::string kid);
  // A key from its PKCS#8 PEM; throws std::runtime_error if the PEM is not an Ed25519 key.
  static SigningKey FromPem(std::string kid, std::string_view pem);

  const std::string& kid() const { return kid_; }
  // PKCS#8 PEM of the private key, for the auth service's own store only.
  std::string PrivateKeyPem() const;
  Jwk PublicJwk() const;

  // header.payload.signature with header {"alg":"EdDSA","kid":...,"typ":"JWT"} and the claims
  // (iss, aud, sub, name, role, sid, iat, nbf, exp and a random jti).
  std::string Sign(const Claims& claims) const;

 private:
  SigningKey(std::string kid, KeyHandle key) : kid_(std::move(kid)), key_(std::move(key)) {}
  std::string kid_;
  KeyHandle key_;
};

// The Ed25519 public key of a JWK; nullptr if the JWK is not an Ed25519 key.
KeyHandle PublicKeyFromJwk(const Jwk& jwk);

// True if `signature` is a valid Ed25519 signature of `message` under `key`.
bool VerifyEd25519(const KeyHandle& key, std::string_view message, std::string_view signature);

}  // namespace ss::authn
