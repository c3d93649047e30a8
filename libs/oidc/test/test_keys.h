// Keys and signed tokens for the unit tests: RSA and EC key pairs made with OpenSSL, their JWKs,
// and compact JWS signed with them (or with HS256, or not at all).
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "authn/encoding.h"

namespace ss::oidc::test {

using Pkey = std::shared_ptr<EVP_PKEY>;

inline std::string Bn(const EVP_PKEY* key, const char* name, int pad = 0) {
  BIGNUM* value = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &value) != 1)
    throw std::runtime_error("no key parameter");
  const int size = pad > 0 ? pad : BN_num_bytes(value);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  BN_bn2binpad(value, reinterpret_cast<unsigned char*>(bytes.data()), size);
  BN_free(value);
  return authn::Base64UrlEncode(bytes);
}

// A signing key with its JWK.
struct TestKey {
  Pkey key;
  std::string alg;
  nlohmann::json jwk;

  static TestKey Rsa(const std::string& kid, unsigned bits = 2048) {
    TestKey out{
        Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)), EVP_PKEY_free),
        "RS256",
        {}};
    out.jwk = {{"kty", "RSA"},
               {"kid", kid},
               {"use", "sig"},
               {"n", Bn(out.key.get(), OSSL_PKEY_PARAM_RSA_N)},
               {"e", Bn(out.key.get(), OSSL_PKEY_PARAM_RSA_E)}};
    return out;
  }

  static TestKey Ec(const std::string& kid) {
    TestKey out{
        Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free), "ES256", {}};
    out.jwk = {{"kty", "EC"},
               {"kid", kid},
               {"crv", "P-256"},
               {"x", Bn(out.key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32)},
               {"y", Bn(out.key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
    return out;
  }

  std::string Sign(const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    std::size_t size = 0;
    if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
      throw std::runtime_error("sign");
    std::string signature(size, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
      throw std::runtime_error("sign");
    signature.resize(size);
    if (alg != "ES256")
      return signature;
    // DER to the raw r || s of JWS.
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(parsed);
    return raw;
  }

  // header.payload.signature with {"alg": alg, "kid": jwk.kid} unless `header` says otherwise.
  std::string Token(const nlohmann::json& claims, nlohmann::json header = nullptr) const {
    if (header.is_null())
      header = {{"alg", alg}, {"kid", jwk["kid"]}, {"typ", "JWT"}};
    const std::string input =
        authn::Base64UrlEncode(header.dump()) + "." + authn::Base64UrlEncode(claims.dump());
    return input + "." + authn::Base64UrlEncode(Sign(input));
  }
};

inline std::string Jwks(std::initializer_list<nlohmann::json> keys) {
  return nlohmann::json{{"keys", nlohmann::json(keys)}}.dump();
}

// An unsigned token ("alg": "none").
inline std::string UnsignedToken(const nlohmann::json& claims, const std::string& kid) {
  const nlohmann::json header = {{"alg", "none"}, {"kid", kid}};
  return authn::Base64UrlEncode(header.dump()) + "." + authn::Base64UrlEncode(claims.dump()) + ".";
}

// An HS256 token whose HMAC secret is `secret` (an attacker's choice: the public JWK's text).
inline std::string Hs256Token(const nlohmann::json& claims, const std::string& kid,
                              const std::string& secret) {
  const nlohmann::json header = {{"alg", "HS256"}, {"kid", kid}};
  const std::string input =
      authn::Base64UrlEncode(header.dump()) + "." + authn::Base64UrlEncode(claims.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return input + "." + authn::Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), size));
}

}  // namespace ss::oidc::test
