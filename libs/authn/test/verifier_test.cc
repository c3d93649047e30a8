#include "authn/verifier.h"

#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "authn/encoding.h"

namespace ss::authn {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kMinute = 60'000;

struct Fixture {
  SigningKey key = SigningKey::Generate("current");
  int64_t now = kNow;
  std::shared_ptr<Verifier> verifier;

  Fixture() {
    VerifierOptions options;
    options.now_ms = [this] { return now; };
    verifier = std::make_shared<Verifier>(options);
    verifier->SetKeys(KeySet::FromJwks({key.PublicJwk()}));
    verifier->ApplyRevocations({});
    verifier->SetApiTokens({});
  }

  static Claims Valid() {
    Claims claims;
    claims.issuer = "streamspace";
    claims.audience = "streamspace";
    claims.subject = "0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11";
    claims.username = "alice";
    claims.role = "user";
    claims.session_id = "sid-1";
    claims.issued_at_ms = kNow - 1234;
    claims.not_before_ms = kNow - 1234;
    claims.expires_at_ms = kNow + 15 * kMinute;
    return claims;
  }

  TokenError Check(const std::string& token) const { return verifier->Verify(token).error; }
};

std::string Encode(const nlohmann::json& value) {
  return Base64UrlEncode(value.dump());
}

std::string Payload(const std::string& token) {
  const auto first = token.find('.');
  return token.substr(first + 1, token.rfind('.') - first - 1);
}

std::string HmacToken(const std::string& secret, const std::string& kid, const std::string& body) {
  const std::string input = Encode({{"alg", "HS256"}, {"kid", kid}, {"typ", "JWT"}}) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), size));
}

}  // namespace

TEST_CASE("a signed token verifies and yields its claims") {
  Fixture f;
  const VerifyResult result = f.verifier->Verify(f.key.Sign(Fixture::Valid()));
  REQUIRE(result.ok());
  CHECK(result.claims.subject == Fixture::Valid().subject);
  CHECK(result.claims.username == "alice");
  CHECK(result.claims.role == "user");
  CHECK(result.claims.session_id == "sid-1");
  CHECK(result.claims.issued_at_ms == kNow - 1234);
  CHECK(result.claims.expires_at_ms == (kNow + 15 * kMinute) / 1000 * 1000);
}

TEST_CASE("the algorithm is pinned: none and HS256 with the public key fail") {
  Fixture f;
  const std::string body = Payload(f.key.Sign(Fixture::Valid()));
  CHECK(f.Check(Encode({{"alg", "none"}, {"kid", "current"}}) + "." + body + ".") ==
        TokenError::kUnsupportedAlgorithm);
  CHECK(f.Check(Encode({{"alg", "none"}}) + "." + body + ".") == TokenError::kUnsupportedAlgorithm);
  const Jwk jwk = f.key.PublicJwk();
  std::string raw_public;
  REQUIRE(Base64UrlDecode(jwk.x, &raw_public));
  CHECK(f.Check(HmacToken(raw_public, "current", body)) == TokenError::kUnsupportedAlgorithm);
  CHECK(f.Check(HmacToken(jwk.x, "current", body)) == TokenError::kUnsupportedAlgorithm);
  CHECK(f.Check(Encode({{"alg", "EdDSA "}, {"kid", "current"}}) + "." + body + ".AAAA") ==
        TokenError::kUnsupportedAlgorithm);
}

TEST_CASE("unknown kid, another key and tampering fail") {
  Fixture f;
  const SigningKey stranger = SigningKey::Generate("stranger");
  CHECK(f.Check(stranger.Sign(Fixture::Valid())) == TokenError::kUnknownKey);
  const SigningKey impostor = SigningKey::FromPem("current", stranger.PrivateKeyPem());
  CHECK(f.Check(impostor.Sign(Fixture::Valid())) == TokenError::kBadSignature);

  const std::string token = f.key.Sign(Fixture::Valid());
  Claims admin = Fixture::Valid();
  admin.role = "admin";
  const std::string forged_body = Payload(f.key.Sign(admin));
  const auto first = token.find('.');
  const auto last = token.rfind('.');
  CHECK(f.Check(token.substr(0, first + 1) + forged_body + token.substr(last)) ==
        TokenError::kBadSignature);
  CHECK(f.Check("") == TokenError::kMissing);
  CHECK(f.Check("abc") == TokenError::kMalformed);
  CHECK(f.Check("a.b.c.d") == TokenError::kMalformed);
  CHECK(f.Check(token.substr(0, last) + ".%%%") == TokenError::kMalformed);
}

TEST_CASE("time and issuer checks") {
  Fixture f;
  Claims expired = Fixture::Valid();
  expired.expires_at_ms = kNow;
  CHECK(f.Check(f.key.Sign(expired)) == TokenError::kExpired);
  Claims last_second = Fixture::Valid();
  last_second.expires_at_ms = kNow + 1000;
  CHECK(f.Check(f.key.Sign(last_second)) == TokenError::kNone);
  Claims skewed = Fixture::Valid();
  skewed.not_before_ms = kNow + 20'000;
  CHECK(f.Check(f.key.Sign(skewed)) == TokenError::kNone);
  Claims future = Fixture::Valid();
  future.not_before_ms = kNow + 31'000;
  CHECK(f.Check(f.key.Sign(future)) == TokenError::kNotYetValid);
  Claims issuer = Fixture::Valid();
  issuer.issuer = "someone-else";
  CHECK(f.Check(f.key.Sign(issuer)) == TokenError::kWrongIssuer);
  Claims audience = Fixture::Valid();
  audience.audience = "elsewhere";
  CHECK(f.Check(f.key.Sign(audience)) == TokenError::kWrongAudience);
}

TEST_CASE("revoked sessions and users issued before their not-before fail") {
  Fixture f;
  const std::string token = f.key.Sign(Fixture::Valid());
  REQUIRE(f.Check(token) == TokenError::kNone);

  RevocationBatch by_session;
  by_session.revocations.push_back({1, "sid-1", "", 0, kNow + 15 * kMinute});
  by_session.latest = 1;
  f.verifier->ApplyRevocations(by_session);
  CHECK(f.Check(token) == TokenError::kRevoked);
  CHECK(f.verifier->revocation_cursor() == 1);

  Fixture g;
  Claims claims = Fixture::Valid();
  const std::string old_token = g.key.Sign(claims);
  REQUIRE(g.Check(old_token) == TokenError::kNone);
  RevocationBatch by_user;
  by_user.revocations.push_back({7, "", claims.subject, kNow, kNow + 15 * kMinute});
  by_user.latest = 7;
  g.verifier->ApplyRevocations(by_user);
  CHECK(g.Check(old_token) == TokenError::kRevoked);
  claims.issued_at_ms = kNow + 1;
  claims.session_id = "sid-2";
  CHECK(g.Check(g.key.Sign(claims)) == TokenError::kNone);
}

TEST_CASE("a cached token still honours expiry and revocation") {
  Fixture f;
  const std::string token = f.key.Sign(Fixture::Valid());
  REQUIRE(f.Check(token) == TokenError::kNone);
  REQUIRE(f.Check(token) == TokenError::kNone);
  f.now = kNow + 16 * kMinute;
  CHECK(f.Check(token) == TokenError::kExpired);
  f.now = kNow;
  RevocationBatch batch;
  batch.revocations.push_back({1, "sid-1", "", 0, kNow + 15 * kMinute});
  f.verifier->ApplyRevocations(batch);
  CHECK(f.Check(token) == TokenError::kRevoked);
}

TEST_CASE("a cached token stops verifying when its key leaves the set") {
  Fixture f;
  const std::string token = f.key.Sign(Fixture::Valid());
  REQUIRE(f.Check(token) == TokenError::kNone);
  f.verifier->SetKeys(KeySet::FromJwks({SigningKey::Generate("next").PublicJwk()}));
  CHECK(f.Check(token) == TokenError::kUnknownKey);
}

TEST_CASE("verification fails closed until keys and revocations are loaded") {
  const SigningKey key = SigningKey::Generate("k");
  VerifierOptions options;
  options.now_ms = [] { return kNow; };
  Verifier verifier(options);
  const std::string token = key.Sign(Fixture::Valid());
  CHECK(verifier.Verify(token).error == TokenError::kUnknownKey);
  verifier.SetKeys(KeySet::FromJwks({key.PublicJwk()}));
  CHECK_FALSE(verifier.ready());
  CHECK(verifier.Verify(token).error == TokenError::kUnknownKey);
  verifier.ApplyRevocations({});
  CHECK_FALSE(verifier.ready());
  verifier.SetApiTokens({});
  CHECK(verifier.ready());
  CHECK(verifier.Verify(token).ok());
}

ApiTokenGrant GrantFor(const NewApiToken& token) {
  ApiTokenGrant grant;
  grant.id = token.id;
  grant.secret_hash = token.secret_hash;
  grant.user_id = "user-7";
  grant.username = "bob";
  grant.role = "operator";
  grant.scopes = {"sessions:read", "templates:write"};
  grant.expires_at_ms = kNow + kMinute;
  return grant;
}

TEST_CASE("an API token verifies by its secret's hash, with its owner's role and its scopes") {
  Fixture f;
  const NewApiToken made = MakeApiToken();
  CHECK(made.text.find(made.id) != std::string::npos);
  CHECK(made.text.find(made.secret_hash) == std::string::npos);
  CHECK(f.verifier->Verify(made.text).error == TokenError::kUnknownToken);
  f.verifier->SetApiTokens({1, true, {GrantFor(made)}});
  const VerifyResult result = f.verifier->Verify(made.text);
  REQUIRE(result.ok());
  CHECK(result.claims.subject == "user-7");
  CHECK(result.claims.username == "bob");
  CHECK(result.claims.role == "operator");
  CHECK(result.claims.token_id == made.id);
  CHECK(result.claims.scopes == std::vector<std::string>{"sessions:read", "templates:write"});

  SECTION("its last use is reported once") {
    const auto uses = f.verifier->TakeApiTokenUses();
    REQUIRE(uses.size() == 1);
    CHECK(uses[0].token_id == made.id);
    CHECK(uses[0].used_at_ms == kNow);
    CHECK(f.verifier->TakeApiTokenUses().empty());
  }
  SECTION("a wrong secret, a changed token and a malformed one fail") {
    std::string wrong = made.text;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    CHECK(f.verifier->Verify(wrong).error == TokenError::kUnknownToken);
    CHECK(f.verifier->Verify(made.text + "x").error == TokenError::kUnknownToken);
    CHECK(f.verifier->Verify("sst_").error == TokenError::kUnknownToken);
    CHECK(f.verifier->Verify("sst_zz_" + made.text).error == TokenError::kUnknownToken);
  }
  SECTION("expiry, a disabled owner and revocation end it") {
    f.now = kNow + kMinute;
    CHECK(f.verifier->Verify(made.text).error == TokenError::kExpired);
    f.now = kNow;
    ApiTokenGrant disabled = GrantFor(made);
    disabled.active = false;
    f.verifier->SetApiTokens({2, true, {disabled}});
    CHECK(f.verifier->Verify(made.text).error == TokenError::kRevoked);
    f.verifier->SetApiTokens({3, true, {}});
    CHECK(f.verifier->Verify(made.text).error == TokenError::kUnknownToken);
    CHECK(f.verifier->api_token_version() == 3);
  }
  SECTION("an unchanged snapshot keeps the table") {
    f.verifier->SetApiTokens({1, false, {}});
    CHECK(f.verifier->Verify(made.text).ok());
  }
}

TEST_CASE("expired revocations are pruned") {
  RevocationList list;
  list.Apply({{{1, "a", "", 0, kNow + 10}, {2, "b", "", 0, kNow - 10}}, 2}, kNow);
  CHECK(list.size() == 1);
  list.Apply({{}, 2}, kNow + 20);
  CHECK(list.size() == 0);
  CHECK(list.cursor() == 2);
}

}  // namespace ss::authn
