#include "authn/signing_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "authn/encoding.h"

namespace ss::authn {
namespace {

constexpr std::size_t kPublicKeySize = 32;
constexpr std::size_t kSignatureSize = 64;

KeyHandle Own(EVP_PKEY* key) {
  return KeyHandle(key, EVP_PKEY_free);
}

using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string RawPublicKey(const KeyHandle& key) {
  std::string raw(kPublicKeySize, '\0');
  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(raw.data()), &size) !=
          1 ||
      size != kPublicKeySize) {
    throw std::runtime_error("cannot read the Ed25519 public key");
  }
  return raw;
}

std::string SignBytes(const KeyHandle& key, std::string_view message) {
  MdContext context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string signature(kSignatureSize, '\0');
  std::size_t size = signature.size();
  // Ed25519 hashes internally: no message digest is given (NULL md).
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw std::runtime_error("Ed25519 signing failed");
  }
  signature.resize(size);
  return signature;
}

// Seconds with a millisecond fraction, as `iat` travels.
double Seconds(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace

SigningKey SigningKey::Generate(std::string kid) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr)
    throw std::runtime_error("Ed25519 key generation failed");
  return SigningKey(std::move(kid), Own(key));
}

SigningKey SigningKey::FromPem(std::string kid, std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio)
    throw std::runtime_error("cannot allocate a BIO");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr)
    throw std::runtime_error("signing key " + kid + " is not a valid PEM key");
  KeyHandle handle = Own(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    throw std::runtime_error("signing key " + kid + " is not an Ed25519 key");
  }
  return SigningKey(std::move(kid), std::move(handle));
}

std::string SigningKey::PrivateKeyPem() const {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot write the signing key as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Jwk SigningKey::PublicJwk() const {
  Jwk jwk;
  jwk.kid = kid_;
  jwk.x = Base64UrlEncode(RawPublicKey(key_));
  return jwk;
}

std::string SigningKey::Sign(const Claims& claims) const {
  const nlohmann::json header = {{"alg", kEdDsa}, {"kid", kid_}, {"typ", "JWT"}};
  const nlohmann::json payload = {
      {"iss", claims.issuer},
      {"aud", claims.audience},
      {"sub", claims.subject},
      {"name", claims.username},
      {"role", claims.role},
      {"sid", claims.session_id},
      {"iat", Seconds(claims.issued_at_ms)},
      {"nbf", claims.not_before_ms / 1000},
      {"exp", claims.expires_at_ms / 1000},
      {"jti", Base64UrlEncode(RandomBytes(12))},
  };
  std::string token = Base64UrlEncode(header.dump());
  token += '.';
  token += Base64UrlEncode(payload.dump());
  const std::string signature = SignBytes(key_, token);
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

KeyHandle PublicKeyFromJwk(const Jwk& jwk) {
  if (jwk.kty != "OKP" || jwk.crv != "Ed25519")
    return nullptr;
  std::string raw;
  if (!Base64UrlDecode(jwk.x, &raw) || raw.size() != kPublicKeySize)
    return nullptr;
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr)
    return nullptr;
  return Own(key);
}

bool VerifyEd25519(const KeyHandle& key, std::string_view message, std::string_view signature) {
  if (!key || signature.size() != kSignatureSize)
    return false;
  MdContext context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return context &&
         EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace ss::authn
