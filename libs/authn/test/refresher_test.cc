#include "authn/refresher.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

namespace ss::authn {
namespace {

class FakeFeed final : public AuthFeed {
 public:
  std::mutex mutex;
  std::vector<Jwk> keys;
  RevocationBatch revocations;
  bool reachable = true;
  std::atomic<int> key_fetches{0};

  bool FetchKeys(std::vector<Jwk>* out, std::string* error) override {
    std::lock_guard lock(mutex);
    ++key_fetches;
    if (!reachable) {
      *error = "down";
      return false;
    }
    *out = keys;
    return true;
  }
  bool FetchRevocations(int64_t, RevocationBatch* out, std::string* error) override {
    std::lock_guard lock(mutex);
    if (!reachable) {
      *error = "down";
      return false;
    }
    *out = revocations;
    return true;
  }
  bool SyncApiTokens(int64_t, const std::vector<ApiTokenUse>& uses, ApiTokenSnapshot* out,
                     std::string* error) override {
    std::lock_guard lock(mutex);
    if (!reachable) {
      *error = "down";
      return false;
    }
    reported.insert(reported.end(), uses.begin(), uses.end());
    *out = api_tokens;
    return true;
  }
  ApiTokenSnapshot api_tokens{1, true, {}};
  std::vector<ApiTokenUse> reported;
};

Claims ValidNow() {
  Claims claims;
  claims.issuer = claims.audience = "streamspace";
  claims.subject = "user-1";
  claims.role = "user";
  claims.session_id = "sid";
  claims.issued_at_ms = claims.not_before_ms = SystemNowMs();
  claims.expires_at_ms = claims.issued_at_ms + 60'000;
  return claims;
}

}  // namespace

TEST_CASE("the refresher becomes ready after the first fetch and learns new keys early") {
  const SigningKey first = SigningKey::Generate("first");
  auto feed = std::make_shared<FakeFeed>();
  feed->reachable = false;
  feed->keys = {first.PublicJwk()};
  auto verifier = std::make_shared<Verifier>(VerifierOptions{});
  RefresherOptions options;
  options.revocation_interval = std::chrono::milliseconds(20);
  options.startup_retry = std::chrono::milliseconds(10);
  options.unknown_key_min_interval = std::chrono::milliseconds(50);
  VerifierRefresher refresher(verifier, feed, options);

  CHECK_FALSE(refresher.WaitReady(std::chrono::milliseconds(50)));
  CHECK(verifier->Verify(first.Sign(ValidNow())).error == TokenError::kUnknownKey);
  {
    std::lock_guard lock(feed->mutex);
    feed->reachable = true;
  }
  REQUIRE(refresher.WaitReady(std::chrono::seconds(2)));
  CHECK(verifier->Verify(first.Sign(ValidNow())).ok());

  const SigningKey second = SigningKey::Generate("second");
  {
    std::lock_guard lock(feed->mutex);
    feed->keys.push_back(second.PublicJwk());
  }
  const std::string token = second.Sign(ValidNow());
  CHECK(verifier->Verify(token).error == TokenError::kUnknownKey);
  bool learned = false;
  for (int i = 0; i < 100 && !learned; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    learned = verifier->Verify(token).ok();
  }
  CHECK(learned);

  {
    std::lock_guard lock(feed->mutex);
    feed->revocations.revocations.push_back({1, "sid", "", 0, SystemNowMs() + 60'000});
    feed->revocations.latest = 1;
  }
  bool revoked = false;
  for (int i = 0; i < 100 && !revoked; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    revoked = verifier->Verify(token).error == TokenError::kRevoked;
  }
  CHECK(revoked);
}

TEST_CASE("the refresher feeds API tokens and reports their uses, again after a failure") {
  auto feed = std::make_shared<FakeFeed>();
  feed->keys = {SigningKey::Generate("k").PublicJwk()};
  const NewApiToken made = MakeApiToken();
  feed->api_tokens = {1,
                      true,
                      {{made.id,
                        made.secret_hash,
                        "u1",
                        "alice",
                        "user",
                        true,
                        {"sessions:read"},
                        SystemNowMs() + 60'000}}};
  auto verifier = std::make_shared<Verifier>(VerifierOptions{});
  RefresherOptions options;
  options.revocation_interval = std::chrono::milliseconds(20);
  options.startup_retry = std::chrono::milliseconds(10);
  VerifierRefresher refresher(verifier, feed, options);
  REQUIRE(refresher.WaitReady(std::chrono::seconds(2)));
  {
    std::lock_guard lock(feed->mutex);
    feed->reachable = false;
  }
  REQUIRE(verifier->Verify(made.text).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  {
    std::lock_guard lock(feed->mutex);
    feed->reachable = true;
    feed->api_tokens = {2, true, {}};
  }
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    gone = verifier->Verify(made.text).error == TokenError::kUnknownToken;
  }
  CHECK(gone);
  std::lock_guard lock(feed->mutex);
  REQUIRE(feed->reported.size() == 1);
  CHECK(feed->reported[0].token_id == made.id);
}

}  // namespace ss::authn
