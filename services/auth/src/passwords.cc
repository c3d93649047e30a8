#include "passwords.h"

#include <argon2.h>

#include <stdexcept>

#include "authn/encoding.h"

namespace ss::auth {
namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kParallelism = 1;
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kHashSize = 32;

const std::string& DummyHash() {
  // Made on first use (not at start-up, which must stay fast) from a password nobody knows.
  static const std::string hash = HashPassword(authn::Base64UrlEncode(authn::RandomBytes(24)));
  return hash;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  const std::string salt = authn::RandomBytes(kSaltSize);
  std::string encoded(
      argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltSize, kHashSize, Argon2_id),
      '\0');
  const int result =
      argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(),
                            salt.data(), salt.size(), kHashSize, encoded.data(), encoded.size());
  if (result != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2id failed: ") + argon2_error_message(result));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  const std::string hash(encoded_hash);
  return argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void VerifyAgainstDummy(std::string_view password) {
  VerifyPassword(DummyHash(), password);
}

}  // namespace ss::auth
