#include "token_issuer.h"

#include <catch2/catch.hpp>

#include "authn/verifier.h"
#include "passwords.h"
#include "validation.h"

namespace ss::auth {
namespace {

constexpr int64_t kNow = 1'800'000'000'123;

}  // namespace

TEST_CASE("issued tokens verify with the claims of TEAM.md") {
  auto key = std::make_shared<const authn::SigningKey>(authn::SigningKey::Generate("k1"));
  TokenOptions options;
  const TokenIssuer issuer([key] { return key; }, options, [] { return kNow; });
  authn::VerifierOptions verifier_options;
  verifier_options.now_ms = [] { return kNow; };
  authn::Verifier verifier(verifier_options);
  verifier.SetKeys(authn::KeySet::FromJwks({key->PublicJwk()}));
  verifier.ApplyRevocations({});
  verifier.SetApiTokens({});

  const auto user_token = issuer.ForUser("0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11", "alice", "admin",
                                         "6f1c1b8e-8d4f-4f0a-9a57-1c2d3e4f5a6b");
  REQUIRE(user_token);
  CHECK(user_token->expires_at_ms == (kNow + 15 * 60'000) / 1000 * 1000);
  const authn::VerifyResult user = verifier.Verify(user_token->token);
  REQUIRE(user.ok());
  CHECK(user.claims.subject == "0b9f6c2e-6a43-4c43-9d1e-4c1b1f0d2a11");
  CHECK(user.claims.username == "alice");
  CHECK(user.claims.role == "admin");
  CHECK(user.claims.issued_at_ms == kNow);

  const auto service_token = issuer.ForService("gateway");
  REQUIRE(service_token);
  const authn::VerifyResult service = verifier.Verify(service_token->token);
  REQUIRE(service.ok());
  CHECK(service.claims.subject == "service:gateway");
  CHECK(service.claims.role == "service");
  CHECK(rpc::IsUuid(service.claims.session_id));
}

TEST_CASE("no signing key, no token") {
  const TokenIssuer issuer([] { return nullptr; }, {}, [] { return kNow; });
  CHECK_FALSE(issuer.ForService("gateway").has_value());
}

TEST_CASE("sign-in session ids are random uuids") {
  CHECK(rpc::IsUuid(NewUuid()));
  CHECK(NewUuid() != NewUuid());
}

TEST_CASE("argon2id hashes verify only the right password") {
  const std::string hash = HashPassword("correct horse battery");
  CHECK(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(VerifyPassword(hash, "correct horse battery"));
  CHECK_FALSE(VerifyPassword(hash, "correct horse batter"));
  CHECK_FALSE(VerifyPassword("not a hash", "x"));
  // saml and oidc accounts store no hash: nothing verifies against it.
  CHECK_FALSE(VerifyPassword("", ""));
}

}  // namespace ss::auth
