#include "webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>

namespace ss::catalog {
namespace {

constexpr std::string_view kPrefix = "sha256=";

std::array<unsigned char, SHA256_DIGEST_LENGTH> Hmac(std::string_view secret,
                                                     std::string_view body) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
  return digest;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f')
    return lower - 'a' + 10;
  return -1;
}

}  // namespace

std::string GitHubSignature(std::string_view secret, std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string signature(kPrefix);
  for (unsigned char byte : Hmac(secret, body)) {
    signature.push_back(kHex[byte >> 4]);
    signature.push_back(kHex[byte & 0xf]);
  }
  return signature;
}

bool VerifyGitHubSignature(std::string_view secret, std::string_view body,
                           std::string_view header) {
  if (secret.empty() || header.substr(0, kPrefix.size()) != kPrefix ||
      header.size() != kPrefix.size() + 2 * SHA256_DIGEST_LENGTH) {
    return false;
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> presented{};
  for (size_t i = 0; i < presented.size(); ++i) {
    const int high = HexValue(header[kPrefix.size() + 2 * i]);
    const int low = HexValue(header[kPrefix.size() + 2 * i + 1]);
    if (high < 0 || low < 0)
      return false;
    presented[i] = static_cast<unsigned char>(high << 4 | low);
  }
  const auto expected = Hmac(secret, body);
  return CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

bool VerifyGitLabToken(std::string_view secret, std::string_view token) {
  if (secret.empty() || token.empty())
    return false;
  // Compare digests, so that the time taken says nothing about the secret's length either.
  unsigned char expected[SHA256_DIGEST_LENGTH];
  unsigned char presented[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), expected);
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), presented);
  return CRYPTO_memcmp(expected, presented, sizeof(expected)) == 0;
}

}  // namespace ss::catalog
