#include "jws.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "authn/encoding.h"

namespace ss::oidc::detail {
namespace {

using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

const EVP_MD* DigestFor(std::string_view alg) {
  if (alg == "RS256" || alg == "ES256")
    return EVP_sha256();
  if (alg == "RS384" || alg == "ES384")
    return EVP_sha384();
  if (alg == "RS512")
    return EVP_sha512();
  return nullptr;
}

// JWS carries ECDSA signatures as r || s of fixed size; OpenSSL verifies DER.
std::optional<std::string> EcdsaToDer(std::string_view raw, std::size_t coordinate_size) {
  if (raw.size() != 2 * coordinate_size)
    return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(coordinate_size), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + coordinate_size, static_cast<int>(coordinate_size), nullptr);
  EcdsaSig signature(ECDSA_SIG_new(), ECDSA_SIG_free);
  if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  const int size = i2d_ECDSA_SIG(signature.get(), nullptr);
  if (size <= 0)
    return std::nullopt;
  std::string der(static_cast<std::size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(signature.get(), &out) != size)
    return std::nullopt;
  return der;
}

}  // namespace

std::optional<CompactJws> ParseCompact(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos)
    return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  std::string header_bytes;
  CompactJws jws;
  if (!authn::Base64UrlDecode(token.substr(0, first), &header_bytes) ||
      !authn::Base64UrlDecode(token.substr(first + 1, second - first - 1), &jws.payload) ||
      !authn::Base64UrlDecode(token.substr(second + 1), &jws.signature)) {
    return std::nullopt;
  }
  const nlohmann::json header = nlohmann::json::parse(header_bytes, nullptr, false);
  if (header.is_discarded() || !header.is_object() || header.contains("crit"))
    return std::nullopt;
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string())
    return std::nullopt;
  jws.alg = alg->get<std::string>();
  if (const auto kid = header.find("kid"); kid != header.end()) {
    if (!kid->is_string())
      return std::nullopt;
    jws.kid = kid->get<std::string>();
  }
  jws.signing_input = token.substr(0, second);
  return jws;
}

bool AlgorithmFitsKey(std::string_view alg, const VerificationKey& key) {
  if (key.kty == "RSA")
    return alg == "RS256" || alg == "RS384" || alg == "RS512";
  if (key.kty == "EC")
    return (alg == "ES256" && key.crv == "P-256") || (alg == "ES384" && key.crv == "P-384");
  return false;
}

bool VerifySignature(const VerificationKey& key, std::string_view alg, std::string_view input,
                     std::string_view signature) {
  const EVP_MD* digest = DigestFor(alg);
  if (digest == nullptr || !AlgorithmFitsKey(alg, key))
    return false;
  std::string der;
  if (key.kty == "EC") {
    auto converted = EcdsaToDer(signature, key.crv == "P-256" ? 32 : 48);
    if (!converted)
      return false;
    der = std::move(*converted);
    signature = der;
  }
  MdContext context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return context &&
         EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.key.get()) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

}  // namespace ss::oidc::detail
