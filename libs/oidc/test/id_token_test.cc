#include "oidc/id_token.h"

#include <catch2/catch.hpp>

#include "test_keys.h"

namespace ss::oidc {
namespace {

using test::TestKey;

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "https://idp.example.com";

// Made once: RSA key generation is the slow part of these tests.
const TestKey& RsaKey() {
  static const TestKey key = TestKey::Rsa("rsa-1");
  return key;
}

const TestKey& EcKey() {
  static const TestKey key = TestKey::Ec("ec-1");
  return key;
}

struct Fixture {
  const TestKey& rsa = RsaKey();
  const TestKey& ec = EcKey();
  KeySet keys = KeySet::Parse(test::Jwks({rsa.jwk, ec.jwk})).value();
  IdTokenExpectations expected;

  Fixture() {
    expected.issuer = kIssuer;
    expected.client_id = "streamspace";
    expected.nonce = "n-0S6_WzA2Mj";
    expected.algorithms = {"RS256", "ES256"};
    expected.now = std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  }

  static nlohmann::json Claims() {
    return {{"iss", kIssuer},
            {"sub", "248289761001"},
            {"aud", "streamspace"},
            {"nonce", "n-0S6_WzA2Mj"},
            {"iat", kNow - 5},
            {"exp", kNow + 300},
            {"preferred_username", "jane"},
            {"email", "jane@example.com"},
            {"name", "Jane Doe"},
            {"groups", {"staff", "admins", 7}}};
  }

  Result<Identity> Verify(const std::string& token) const {
    return VerifyIdToken(token, keys, expected);
  }

  ErrorCode Refusal(const nlohmann::json& claims) const {
    const auto result = Verify(rsa.Token(claims));
    REQUIRE_FALSE(result.ok());
    return result.error().code;
  }
};

TEST_CASE_METHOD(Fixture, "a valid RS256 ID token yields the identity") {
  const auto identity = Verify(rsa.Token(Claims()));
  REQUIRE(identity.ok());
  CHECK(identity->issuer == kIssuer);
  CHECK(identity->subject == "248289761001");
  CHECK(identity->username == "jane");
  CHECK(identity->email == "jane@example.com");
  CHECK(identity->display_name == "Jane Doe");
  CHECK(identity->groups == std::vector<std::string>{"staff", "admins"});
  CHECK(identity->claims["sub"] == "248289761001");
}

TEST_CASE_METHOD(Fixture, "a valid ES256 ID token verifies") {
  CHECK(Verify(ec.Token(Claims())).ok());
}

TEST_CASE_METHOD(Fixture, "claim names are configurable and groups may be one string") {
  expected.claims.username = "upn";
  expected.claims.groups = "roles";
  nlohmann::json claims = Claims();
  claims["upn"] = "jdoe";
  claims["roles"] = "operators";
  const auto identity = Verify(rsa.Token(claims));
  REQUIRE(identity.ok());
  CHECK(identity->username == "jdoe");
  CHECK(identity->groups == std::vector<std::string>{"operators"});
}

TEST_CASE_METHOD(Fixture, "algorithms outside the pinned set are refused") {
  const auto none = Verify(test::UnsignedToken(Claims(), "rsa-1"));
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::kUnsupportedAlgorithm);
  // The classic confusion: the public key's text used as an HMAC secret.
  const auto hs256 = Verify(test::Hs256Token(Claims(), "rsa-1", rsa.jwk.dump()));
  REQUIRE_FALSE(hs256.ok());
  CHECK(hs256.error().code == ErrorCode::kUnsupportedAlgorithm);
  expected.algorithms = {"ES256"};
  CHECK(Refusal(Claims()) == ErrorCode::kUnsupportedAlgorithm);
}

TEST_CASE_METHOD(Fixture, "the algorithm must fit the key's type and the JWK's own alg") {
  // RS256 named in the header, but the kid is an EC key.
  const auto wrong_type = Verify(rsa.Token(Claims(), {{"alg", "RS256"}, {"kid", "ec-1"}}));
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().code == ErrorCode::kUnsupportedAlgorithm);

  nlohmann::json pinned = rsa.jwk;
  pinned["alg"] = "RS384";
  keys = KeySet::Parse(test::Jwks({pinned})).value();
  expected.algorithms = {"RS256", "RS384"};
  CHECK(Refusal(Claims()) == ErrorCode::kUnsupportedAlgorithm);
}

TEST_CASE_METHOD(Fixture, "signatures are checked with the kid's key") {
  const TestKey stranger = TestKey::Rsa("rsa-1");
  const auto forged = Verify(stranger.Token(Claims()));
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.error().code == ErrorCode::kBadSignature);

  std::string token = rsa.Token(Claims());
  const std::size_t dot = token.find('.');
  nlohmann::json claims = Claims();
  claims["sub"] = "someone-else";
  const std::string tampered = token.substr(0, dot + 1) + authn::Base64UrlEncode(claims.dump()) +
                               token.substr(token.rfind('.'));
  const auto result = Verify(tampered);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::kBadSignature);

  const auto unknown = Verify(TestKey::Rsa("rsa-2").Token(Claims()));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::kUnknownKey);
}

TEST_CASE_METHOD(Fixture, "malformed tokens are refused") {
  for (const std::string token : {"", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.e30"}) {
    const auto result = Verify(token);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::kMalformedToken);
  }
  const auto critical =
      Verify(rsa.Token(Claims(), {{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", {"exp"}}}));
  REQUIRE_FALSE(critical.ok());
  CHECK(critical.error().code == ErrorCode::kMalformedToken);
}

TEST_CASE_METHOD(Fixture, "iss, aud and azp must name the issuer and us") {
  nlohmann::json claims = Claims();
  claims["iss"] = "https://evil.example.com";
  CHECK(Refusal(claims) == ErrorCode::kWrongIssuer);
  claims = Claims();
  claims["aud"] = "another-client";
  CHECK(Refusal(claims) == ErrorCode::kWrongAudience);
  claims["aud"] = {"another-client", "streamspace"};
  CHECK(Refusal(claims) == ErrorCode::kWrongAuthorizedParty);
  claims["azp"] = "another-client";
  CHECK(Refusal(claims) == ErrorCode::kWrongAuthorizedParty);
  claims["azp"] = "streamspace";
  CHECK(Verify(rsa.Token(claims)).ok());
  claims = Claims();
  claims["aud"] = {"streamspace"};
  CHECK(Verify(rsa.Token(claims)).ok());
  claims.erase("aud");
  CHECK(Refusal(claims) == ErrorCode::kWrongAudience);
}

TEST_CASE_METHOD(Fixture, "exp, iat and nbf are checked with the allowed skew") {
  nlohmann::json claims = Claims();
  claims["exp"] = kNow - 61;
  CHECK(Refusal(claims) == ErrorCode::kExpired);
  claims["exp"] = kNow - 30;  // within the 60 s skew
  CHECK(Verify(rsa.Token(claims)).ok());
  claims = Claims();
  claims["iat"] = kNow + 120;
  CHECK(Refusal(claims) == ErrorCode::kNotYetValid);
  claims["iat"] = kNow + 30;
  CHECK(Verify(rsa.Token(claims)).ok());
  claims = Claims();
  claims["nbf"] = kNow + 120;
  CHECK(Refusal(claims) == ErrorCode::kNotYetValid);
  claims["nbf"] = "soon";
  CHECK(Refusal(claims) == ErrorCode::kMalformedToken);
  claims = Claims();
  claims.erase("exp");
  CHECK(Refusal(claims) == ErrorCode::kMalformedToken);
}

TEST_CASE_METHOD(Fixture, "the nonce must be the sign-in's and the subject present") {
  nlohmann::json claims = Claims();
  claims["nonce"] = "another";
  CHECK(Refusal(claims) == ErrorCode::kWrongNonce);
  claims.erase("nonce");
  CHECK(Refusal(claims) == ErrorCode::kWrongNonce);
  expected.nonce = "";
  CHECK(Refusal(claims) == ErrorCode::kWrongNonce);
  expected.nonce = "n-0S6_WzA2Mj";
  claims = Claims();
  claims["sub"] = "";
  CHECK(Refusal(claims) == ErrorCode::kMissingSubject);
}

TEST_CASE_METHOD(Fixture, "refusals never quote the token") {
  nlohmann::json claims = Claims();
  claims["nonce"] = "another";
  const std::string token = rsa.Token(claims);
  const auto result = Verify(token);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message.find(token.substr(0, 20)) == std::string::npos);
  CHECK(result.error().message.find("another") == std::string::npos);
}

}  // namespace
}  // namespace ss::oidc
