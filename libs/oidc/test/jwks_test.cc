#include "oidc/jwks.h"

#include <catch2/catch.hpp>

#include "test_keys.h"

namespace ss::oidc {
namespace {

using test::TestKey;

TEST_CASE("a JWKS yields its RSA and P-256 signing keys by kid") {
  const TestKey rsa = TestKey::Rsa("r1");
  const TestKey ec = TestKey::Ec("e1");
  nlohmann::json pinned = rsa.jwk;
  pinned["kid"] = "r2";
  pinned["alg"] = "RS256";
  int skipped = -1;
  const auto keys = KeySet::Parse(test::Jwks({rsa.jwk, ec.jwk, pinned}), &skipped);
  REQUIRE(keys.ok());
  CHECK(skipped == 0);
  CHECK(keys->size() == 3);
  REQUIRE(keys->Find("r1") != nullptr);
  CHECK(keys->Find("r1")->kty == "RSA");
  CHECK(keys->Find("r1")->alg.empty());
  CHECK(keys->Find("r2")->alg == "RS256");
  REQUIRE(keys->Find("e1") != nullptr);
  CHECK(keys->Find("e1")->kty == "EC");
  CHECK(keys->Find("e1")->crv == "P-256");
  CHECK(keys->Find("nope") == nullptr);
  // Without a kid, a token cannot choose among several keys.
  CHECK(keys->Find("") == nullptr);
}

TEST_CASE("a token without a kid gets the only key of a one-key set") {
  const TestKey rsa = TestKey::Rsa("only");
  const auto keys = KeySet::Parse(test::Jwks({rsa.jwk}));
  REQUIRE(keys.ok());
  CHECK(keys->Find("") == keys->Find("only"));
}

TEST_CASE("unusable keys are skipped and counted") {
  const TestKey good = TestKey::Rsa("good");
  nlohmann::json encryption = good.jwk;
  encryption["kid"] = "enc";
  encryption["use"] = "enc";
  nlohmann::json duplicate = TestKey::Ec("good").jwk;
  nlohmann::json small = TestKey::Rsa("small", 1024).jwk;
  nlohmann::json octet = {{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
  nlohmann::json off_curve = TestKey::Ec("off").jwk;
  off_curve["y"] = off_curve["x"];
  nlohmann::json short_x = TestKey::Ec("short").jwk;
  short_x["x"] = "AAAA";
  nlohmann::json other_curve = TestKey::Ec("curve").jwk;
  other_curve["crv"] = "P-521";
  nlohmann::json bad_base64 = good.jwk;
  bad_base64["kid"] = "b64";
  bad_base64["n"] = "not base64url!";
  int skipped = 0;
  const auto keys =
      KeySet::Parse(test::Jwks({good.jwk, encryption, duplicate, small, octet, off_curve, short_x,
                                other_curve, bad_base64, "not an object"}),
                    &skipped);
  REQUIRE(keys.ok());
  CHECK(keys->size() == 1);
  CHECK(skipped == 9);
  CHECK(keys->Find("good")->kty == "RSA");
}

TEST_CASE("a document that is not a key set is an error") {
  for (const char* document : {"", "[]", "{}", R"({"keys": {}})", "not json"}) {
    const auto keys = KeySet::Parse(document);
    CHECK_FALSE(keys.ok());
  }
  CHECK(KeySet::Parse(R"({"keys": []})")->empty());
}

}  // namespace
}  // namespace ss::oidc
