#include "jwt.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace ss::test {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string SigningInput(const nlohmann::json& header, const nlohmann::json& payload) {
  return Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0)
    out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::string Base64UrlDecode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=')
      break;
    const auto index = kAlphabet.find(c);
    if (index == std::string_view::npos)
      throw std::invalid_argument("not base64url");
    buffer = (buffer << 6) | static_cast<uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

DecodedJwt DecodeJwt(std::string_view token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first == std::string_view::npos ? 0 : first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) {
    throw std::invalid_argument("not a compact JWS");
  }
  DecodedJwt decoded;
  decoded.header = nlohmann::json::parse(Base64UrlDecode(token.substr(0, first)));
  decoded.payload =
      nlohmann::json::parse(Base64UrlDecode(token.substr(first + 1, second - first - 1)));
  decoded.signature = Base64UrlDecode(token.substr(second + 1));
  return decoded;
}

struct Ed25519Key::Impl {
  EVP_PKEY* key = nullptr;
};

Ed25519Key::Ed25519Key() : impl_(std::make_unique<Impl>()) {
  EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  if (context == nullptr || EVP_PKEY_keygen_init(context) <= 0 ||
      EVP_PKEY_keygen(context, &impl_->key) <= 0) {
    EVP_PKEY_CTX_free(context);
    throw std::runtime_error("Ed25519 key generation failed");
  }
  EVP_PKEY_CTX_free(context);
}

Ed25519Key::~Ed25519Key() {
  EVP_PKEY_free(impl_->key);
}

std::string Ed25519Key::Sign(const nlohmann::json& header, const nlohmann::json& payload) const {
  const std::string input = SigningInput(header, payload);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::array<unsigned char, 64> signature{};
  size_t length = signature.size();
  const bool ok =
      context != nullptr &&
      EVP_DigestSignInit(context, nullptr, nullptr, nullptr, impl_->key) > 0 &&
      EVP_DigestSign(context, signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) > 0;
  EVP_MD_CTX_free(context);
  if (!ok)
    throw std::runtime_error("Ed25519 signing failed");
  return input + "." +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(signature.data()), length));
}

std::string SignHs256(const nlohmann::json& header, const nlohmann::json& payload,
                      std::string_view secret) {
  const std::string input = SigningInput(header, payload);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &length);
  return input + "." +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), length));
}

std::string Unsigned(const nlohmann::json& header, const nlohmann::json& payload) {
  return SigningInput(header, payload) + ".";
}

}  // namespace ss::test
