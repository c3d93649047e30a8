#include "authn/signing_key.h"

#include <catch2/catch.hpp>

#include "authn/encoding.h"
#include "authn/key_set.h"

namespace ss::authn {

TEST_CASE("base64url round-trips every length without padding") {
  std::string bytes;
  for (int length = 0; length < 40; ++length) {
    const std::string encoded = Base64UrlEncode(bytes);
    CHECK(encoded.find('=') == std::string::npos);
    std::string decoded;
    REQUIRE(Base64UrlDecode(encoded, &decoded));
    CHECK(decoded == bytes);
    bytes.push_back(static_cast<char>(length * 37 + 250));
  }
  std::string out;
  CHECK_FALSE(Base64UrlDecode("ab+c", &out));
  CHECK_FALSE(Base64UrlDecode("abc=", &out));
  CHECK_FALSE(Base64UrlDecode("a", &out));
  CHECK_FALSE(Base64UrlDecode("AB", &out));  // non-zero leftover bits
}

TEST_CASE("constant-time comparison") {
  CHECK(ConstantTimeEquals("secret", "secret"));
  CHECK_FALSE(ConstantTimeEquals("secret", "secreT"));
  CHECK_FALSE(ConstantTimeEquals("secret", "secret2"));
}

TEST_CASE("a signing key survives PEM and publishes an OKP JWK") {
  const SigningKey key = SigningKey::Generate("k1");
  const std::string pem = key.PrivateKeyPem();
  CHECK(pem.find("BEGIN PRIVATE KEY") != std::string::npos);
  const SigningKey again = SigningKey::FromPem("k1", pem);
  const Jwk jwk = key.PublicJwk();
  CHECK(jwk.kty == "OKP");
  CHECK(jwk.crv == "Ed25519");
  CHECK(jwk.alg == "EdDSA");
  CHECK(jwk.use == "sig");
  CHECK(jwk.kid == "k1");
  CHECK(jwk.x.size() == 43);
  CHECK(again.PublicJwk().x == jwk.x);
  CHECK_THROWS(SigningKey::FromPem("bad", "not a pem"));
}

TEST_CASE("signatures verify only under the signing key") {
  const SigningKey key = SigningKey::Generate("k1");
  const SigningKey other = SigningKey::Generate("k2");
  const KeySet set = KeySet::FromJwks({key.PublicJwk(), other.PublicJwk()});
  REQUIRE(set.size() == 2);
  Claims claims;
  claims.subject = "u";
  claims.role = "user";
  const std::string token = key.Sign(claims);
  const auto last_dot = token.rfind('.');
  std::string signature;
  REQUIRE(Base64UrlDecode(token.substr(last_dot + 1), &signature));
  const std::string input = token.substr(0, last_dot);
  CHECK(VerifyEd25519(set.Find("k1")->key, input, signature));
  CHECK_FALSE(VerifyEd25519(set.Find("k2")->key, input, signature));
  CHECK_FALSE(VerifyEd25519(set.Find("k1")->key, input + "x", signature));
}

TEST_CASE("a key set keeps only Ed25519 keys pinned to EdDSA") {
  Jwk good = SigningKey::Generate("good").PublicJwk();
  Jwk wrong_alg = SigningKey::Generate("hs").PublicJwk();
  wrong_alg.alg = "HS256";
  Jwk wrong_curve = SigningKey::Generate("x").PublicJwk();
  wrong_curve.crv = "X25519";
  Jwk short_x = good;
  short_x.kid = "short";
  short_x.x = "AAAA";
  int rejected = 0;
  const KeySet set = KeySet::FromJwks({good, wrong_alg, wrong_curve, short_x}, &rejected);
  CHECK(set.size() == 1);
  CHECK(rejected == 3);
  CHECK(set.Find("good")->algorithm == "EdDSA");
  CHECK(set.Find("hs") == nullptr);
}

}  // namespace ss::authn
