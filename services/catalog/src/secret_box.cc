#include "secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <stdexcept>

namespace ss::catalog {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext NewContext() {
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!context)
    throw std::bad_alloc();
  return context;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::vector<core::Variable> SecretBoxVariables() {
  return {
      {"CATALOG_SECRET_KEY", "",
       "Passphrase of the key that encrypts repository secrets in Postgres (required unless "
       "CATALOG_ALLOW_LOCAL_REPOS=true).",
       true},
      {"CATALOG_ALLOW_LOCAL_REPOS", "false",
       "Accept file:// URLs and local paths as repositories (development only)."},
  };
}

SecretBox SecretBox::FromConfig(const core::Config& config) {
  const std::string& passphrase = config.Get("CATALOG_SECRET_KEY");
  if (passphrase.empty()) {
    if (!config.GetBool("CATALOG_ALLOW_LOCAL_REPOS")) {
      throw core::ConfigError(
          "CATALOG_SECRET_KEY is not set: repository secrets would be encrypted with a key "
          "anyone can derive; set it (an empty key is accepted only with "
          "CATALOG_ALLOW_LOCAL_REPOS=true, for development)");
    }
    spdlog::warn(
        "CATALOG_SECRET_KEY is not set: repository secrets are encrypted with a key "
        "anyone can derive (development mode, CATALOG_ALLOW_LOCAL_REPOS=true)");
  }
  return SecretBox(passphrase);
}

SecretBox::SecretBox(std::string_view passphrase) {
  SHA256(Bytes(passphrase), passphrase.size(), key_);
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  if (RAND_bytes(out, kNonceBytes) != 1)
    throw std::runtime_error("no random bytes for a nonce");
  CipherContext context = NewContext();
  int length = 0;
  if (EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key_, out) != 1 ||
      EVP_EncryptUpdate(context.get(), out + kNonceBytes, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), out + kNonceBytes + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          out + kNonceBytes + plaintext.size()) != 1) {
    throw std::runtime_error("AES-GCM encryption failed");
  }
  return sealed;
}

std::optional<std::string> SecretBox::Open(std::string_view sealed) const {
  if (sealed.size() < kNonceBytes + kTagBytes)
    return std::nullopt;
  const size_t size = sealed.size() - kNonceBytes - kTagBytes;
  std::string plaintext(size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  std::string tag(sealed.substr(kNonceBytes + size));
  CipherContext context = NewContext();
  int length = 0;
  if (EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key_, Bytes(sealed)) != 1 ||
      EVP_DecryptUpdate(context.get(), out, &length, Bytes(sealed) + kNonceBytes,
                        static_cast<int>(size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(context.get(), out + length, &length) != 1) {
    return std::nullopt;
  }
  return plaintext;
}

}  // namespace ss::catalog
