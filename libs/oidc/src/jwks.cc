#include "oidc/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "authn/encoding.h"

namespace ss::oidc {
namespace {

// Far more than any provider publishes; bounds the work a hostile document can ask for.
constexpr std::size_t kMaxKeys = 64;
constexpr int kMinRsaBits = 2048;
constexpr std::size_t kMaxRsaModulusBytes = 1024;

using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;
using Params = std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)>;
using PkeyContext = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using BigNum = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM_BLD* builder) {
  Params params(OSSL_PARAM_BLD_to_param(builder), OSSL_PARAM_free);
  PkeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// A base64url JWK member decoded, or nullopt when absent, not a string or not base64url.
std::optional<std::string> Member(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  std::string bytes;
  if (it == jwk.end() || !it->is_string() ||
      !authn::Base64UrlDecode(it->get<std::string>(), &bytes))
    return std::nullopt;
  return bytes;
}

BigNum ToBigNum(const std::string& bytes) {
  return BigNum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr),
                BN_free);
}

std::shared_ptr<EVP_PKEY> RsaKey(const nlohmann::json& jwk) {
  const auto n = Member(jwk, "n");
  const auto e = Member(jwk, "e");
  if (!n || !e || n->empty() || n->size() > kMaxRsaModulusBytes || e->empty() || e->size() > 8)
    return nullptr;
  BigNum modulus = ToBigNum(*n);
  BigNum exponent = ToBigNum(*e);
  ParamBuilder builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!modulus || !exponent || !builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return nullptr;
  }
  auto key = FromParams("RSA", builder.get());
  if (!key || EVP_PKEY_get_bits(key.get()) < kMinRsaBits)
    return nullptr;
  return key;
}

std::shared_ptr<EVP_PKEY> EcKey(const nlohmann::json& jwk, const std::string& crv) {
  const char* group = nullptr;
  std::size_t size = 0;
  if (crv == "P-256") {
    group = "prime256v1";
    size = 32;
  } else if (crv == "P-384") {
    group = "secp384r1";
    size = 48;
  } else {
    return nullptr;
  }
  const auto x = Member(jwk, "x");
  const auto y = Member(jwk, "y");
  if (!x || !y || x->size() != size || y->size() != size)
    return nullptr;
  // The uncompressed SEC1 point: 0x04 || x || y.
  const std::string point = "\x04" + *x + *y;
  ParamBuilder builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  auto key = FromParams("EC", builder.get());
  if (!key)
    return nullptr;
  // A point off the curve would leak the verifier's secrets in ECDH; in ECDSA it only fails,
  // but such a key is broken and is better refused up front.
  PkeyContext check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return nullptr;
  return key;
}

std::string StringMember(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<KeySet> KeySet::Parse(std::string_view document, int* skipped) {
  const nlohmann::json json = nlohmann::json::parse(document, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("keys") ||
      !json["keys"].is_array()) {
    return MakeError(ErrorCode::kProviderUnavailable, "JWKS document is not a JSON key set");
  }
  KeySet set;
  int bad = 0;
  for (const nlohmann::json& jwk : json["keys"]) {
    if (set.keys_.size() >= kMaxKeys || !jwk.is_object()) {
      ++bad;
      continue;
    }
    VerificationKey entry;
    entry.kty = StringMember(jwk, "kty");
    entry.alg = StringMember(jwk, "alg");
    const std::string use = StringMember(jwk, "use");
    const std::string kid = StringMember(jwk, "kid");
    if (entry.kty == "RSA") {
      entry.key = RsaKey(jwk);
    } else if (entry.kty == "EC") {
      entry.crv = StringMember(jwk, "crv");
      entry.key = EcKey(jwk, entry.crv);
    }
    if (!entry.key || (!use.empty() && use != "sig") || set.keys_.contains(kid)) {
      ++bad;
      continue;
    }
    set.keys_.emplace(kid, std::move(entry));
  }
  if (skipped != nullptr)
    *skipped = bad;
  return set;
}

const VerificationKey* KeySet::Find(std::string_view kid) const {
  if (kid.empty())
    return keys_.size() == 1 ? &keys_.begin()->second : nullptr;
  const auto it = keys_.find(std::string(kid));
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace ss::oidc
