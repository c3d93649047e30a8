// Hand-made JSON Web Tokens for negative tests: signed by a key that is not ours, unsigned
// (`alg: none`), HS256 keyed with a public key, or with a payload changed after signing.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ss::test {

std::string Base64UrlEncode(std::string_view bytes);
// Throws std::invalid_argument on characters outside the base64url alphabet.
std::string Base64UrlDecode(std::string_view text);

struct DecodedJwt {
  nlohmann::json header;
  nlohmann::json payload;
  std::string signature;  // raw bytes
};

// Splits and decodes a compact JWS; throws std::invalid_argument when it is not one.
DecodedJwt DecodeJwt(std::string_view token);

// A fresh Ed25519 key pair made with OpenSSL, for signing tokens the server must refuse.
class Ed25519Key {
 public:
  Ed25519Key();
  ~Ed25519Key();
  Ed25519Key(const Ed25519Key&) = delete;
  Ed25519Key& operator=(const Ed25519Key&) = delete;

  // header.payload.signature with alg EdDSA (the header is used as given).
  std::string Sign(const nlohmann::json& header, const nlohmann::json& payload) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// header.payload.signature with HMAC-SHA256 over the given secret bytes.
std::string SignHs256(const nlohmann::json& header, const nlohmann::json& payload,
                      std::string_view secret);

// header.payload. (empty signature).
std::string Unsigned(const nlohmann::json& header, const nlohmann::json& payload);

}  // namespace ss::test
