#include "oidc/relying_party.h"

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "test_keys.h"

namespace ss::oidc {
namespace {

using test::TestKey;
using namespace std::chrono_literals;

constexpr const char* kIssuer = "https://idp.example.com";
constexpr const char* kSecret = "s3cret-value";

// Answers by URL, and remembers what was asked. Thread-safe once `answers` is set up.
class FakeHttp final : public HttpTransport {
 public:
  std::map<std::string, HttpAnswer> answers;
  std::vector<std::string> gets;
  std::string posted_form;
  std::string posted_authorization;

  Result<HttpAnswer> Get(const std::string& url) override {
    std::lock_guard lock(mutex_);
    gets.push_back(url);
    return Answer(url);
  }
  Result<HttpAnswer> PostForm(const std::string& url, const std::string& form,
                              const std::string& authorization) override {
    std::lock_guard lock(mutex_);
    posted_form = form;
    posted_authorization = authorization;
    return Answer(url);
  }
  int Count(const std::string& url) const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count(gets.begin(), gets.end(), url));
  }

 private:
  mutable std::mutex mutex_;

  Result<HttpAnswer> Answer(const std::string& url) {
    // Slow enough that concurrent callers overlap.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto it = answers.find(url);
    if (it == answers.end())
      return MakeError(ErrorCode::kProviderUnavailable, "connection refused");
    return it->second;
  }
};

std::string Query(const std::string& url, const std::string& name) {
  const std::size_t at = url.find("&" + name + "=") != std::string::npos
                             ? url.find("&" + name + "=")
                             : url.find("?" + name + "=");
  if (at == std::string::npos)
    return "<absent>";
  const std::size_t start = at + name.size() + 2;
  return url.substr(start, url.find('&', start) - start);
}

const TestKey& ProviderKey() {
  static const TestKey key = TestKey::Rsa("k1");
  return key;
}

struct Fixture {
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  const TestKey& key = ProviderKey();
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'800'000'000)};
  Config config;
  const std::string discovery_url = std::string(kIssuer) + "/.well-known/openid-configuration";
  const std::string jwks_url = std::string(kIssuer) + "/jwks";
  const std::string token_url = std::string(kIssuer) + "/token";

  Fixture() {
    config.issuer = kIssuer;
    config.client_id = "streamspace app";
    config.client_secret = kSecret;
    config.redirect_uri = "https://streamspace.example.com/api/v1/auth/oidc/callback";
    config.now = [this] { return now; };
    SetDiscovery(kIssuer);
    SetKeys({key.jwk});
  }

  void SetDiscovery(const std::string& issuer) {
    http->answers[discovery_url] = {
        200,
        nlohmann::json{{"issuer", issuer},
                       {"authorization_endpoint", std::string(kIssuer) + "/authorize?tenant=a"},
                       {"token_endpoint", token_url},
                       {"jwks_uri", jwks_url}}
            .dump()};
  }
  void SetKeys(std::initializer_list<nlohmann::json> jwks) {
    http->answers[jwks_url] = {200, test::Jwks(jwks)};
  }
  void AnswerToken(const TestKey& signer, const std::string& nonce) {
    const int64_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const nlohmann::json claims = {
        {"iss", kIssuer}, {"sub", "u-1"},         {"aud", config.client_id},     {"nonce", nonce},
        {"iat", seconds}, {"exp", seconds + 300}, {"preferred_username", "jane"}};
    http->answers[token_url] = {
        200, nlohmann::json{{"id_token", signer.Token(claims)}, {"token_type", "Bearer"}}.dump()};
  }
};

TEST_CASE("configuration is checked") {
  Config config;
  config.issuer = "https://idp.example.com";
  config.client_id = "c";
  config.client_secret = kSecret;
  config.redirect_uri = "https://app.example.com/cb";
  CHECK_FALSE(CheckConfig(config).has_value());
  for (const char* algorithm : {"none", "HS256", "PS256"}) {
    Config bad = config;
    bad.algorithms = {"RS256", algorithm};
    REQUIRE(CheckConfig(bad).has_value());
    CHECK(CheckConfig(bad)->code == ErrorCode::kInvalidConfig);
  }
  for (const char* issuer :
       {"http://idp.example.com", "ftp://idp", "https://user@idp.example", "idp.example.com"}) {
    Config bad = config;
    bad.issuer = issuer;
    CHECK(CheckConfig(bad).has_value());
  }
  Config no_openid = config;
  no_openid.scopes = "email profile";
  CHECK(CheckConfig(no_openid).has_value());
  Config no_secret = config;
  no_secret.client_secret.clear();
  CHECK(CheckConfig(no_secret).has_value());
  CHECK_THROWS_AS(RelyingParty(no_secret, std::make_shared<FakeHttp>()), std::invalid_argument);
}

TEST_CASE("plain HTTP is allowed on loopback hosts only") {
  CHECK(IsAllowedUrl("https://idp.example.com/x"));
  CHECK(IsAllowedUrl("http://127.0.0.1:8080/realms/a"));
  CHECK(IsAllowedUrl("http://127.1.2.3"));
  CHECK(IsAllowedUrl("http://[::1]:9000/"));
  CHECK(IsAllowedUrl("HTTP://LocalHost:80"));
  CHECK_FALSE(IsAllowedUrl("http://10.0.0.1/"));
  CHECK_FALSE(IsAllowedUrl("http://127.0.0.1.evil.com/"));
  CHECK_FALSE(IsAllowedUrl("http://localhost@evil.com/"));
  CHECK_FALSE(IsAllowedUrl("http://"));
}

TEST_CASE_METHOD(Fixture, "discovery requires the configured issuer exactly") {
  SetDiscovery(std::string(kIssuer) + "/");
  RelyingParty rp(config, http);
  const auto metadata = rp.Discover();
  REQUIRE_FALSE(metadata.ok());
  CHECK(metadata.error().code == ErrorCode::kIssuerMismatch);
  CHECK(metadata.error().provider_unavailable());
}

TEST_CASE_METHOD(Fixture, "discovery refuses plain-HTTP endpoints off loopback") {
  http->answers[discovery_url] = {200, nlohmann::json{{"issuer", kIssuer},
                                                      {"authorization_endpoint", "https://a/x"},
                                                      {"token_endpoint", "http://idp/token"},
                                                      {"jwks_uri", jwks_url}}
                                           .dump()};
  RelyingParty rp(config, http);
  const auto metadata = rp.Discover();
  REQUIRE_FALSE(metadata.ok());
  CHECK(metadata.error().code == ErrorCode::kBadDiscovery);
}

TEST_CASE_METHOD(Fixture, "an unreachable provider is reported, and retried on the next call") {
  http->answers.erase(discovery_url);
  RelyingParty rp(config, http);
  const auto login = rp.StartLogin();
  REQUIRE_FALSE(login.ok());
  CHECK(login.error().code == ErrorCode::kProviderUnavailable);
  SetDiscovery(kIssuer);
  CHECK(rp.StartLogin().ok());
}

TEST_CASE_METHOD(Fixture, "a login starts with fresh state, nonce and an S256 PKCE challenge") {
  RelyingParty rp(config, http);
  const auto login = rp.StartLogin();
  REQUIRE(login.ok());
  const auto again = rp.StartLogin();
  REQUIRE(again.ok());
  CHECK(login->state.size() == 43);
  CHECK(login->nonce.size() == 43);
  CHECK(login->code_verifier.size() == 43);
  CHECK(login->state != again->state);
  CHECK(login->nonce != again->nonce);
  CHECK(login->code_verifier != again->code_verifier);
  const std::string& url = login->authorization_url;
  CHECK(url.rfind(std::string(kIssuer) + "/authorize?tenant=a&response_type=code&", 0) == 0);
  CHECK(Query(url, "client_id") == "streamspace%20app");
  CHECK(Query(url, "redirect_uri") ==
        "https%3A%2F%2Fstreamspace.example.com%2Fapi%2Fv1%2Fauth%2Foidc%2Fcallback");
  CHECK(Query(url, "scope") == "openid%20email%20profile");
  CHECK(Query(url, "state") == login->state);
  CHECK(Query(url, "nonce") == login->nonce);
  CHECK(Query(url, "code_challenge") ==
        authn::Base64UrlEncode(authn::Sha256(login->code_verifier)));
  CHECK(Query(url, "code_challenge_method") == "S256");
  CHECK(url.find(login->code_verifier) == std::string::npos);
  // Discovery and keys were fetched once for both logins.
  CHECK(http->Count(discovery_url) == 1);
  CHECK(http->Count(jwks_url) == 1);
}

TEST_CASE("states compare only when equal and present") {
  CHECK(RelyingParty::StateMatches("abc", "abc"));
  CHECK_FALSE(RelyingParty::StateMatches("abc", "abd"));
  CHECK_FALSE(RelyingParty::StateMatches("abc", "abcd"));
  CHECK_FALSE(RelyingParty::StateMatches("", ""));
}

TEST_CASE_METHOD(Fixture, "the callback exchanges the code with client_secret_basic and PKCE") {
  RelyingParty rp(config, http);
  const auto login = rp.StartLogin();
  REQUIRE(login.ok());
  AnswerToken(key, login->nonce);
  const auto identity = rp.CompleteLogin("the/code", login->nonce, login->code_verifier);
  REQUIRE(identity.ok());
  CHECK(identity->subject == "u-1");
  CHECK(identity->username == "jane");
  CHECK(http->posted_form ==
        "grant_type=authorization_code&code=the%2Fcode&redirect_uri=https%3A%2F%2Fstreamspace."
        "example.com%2Fapi%2Fv1%2Fauth%2Foidc%2Fcallback&code_verifier=" +
            login->code_verifier);
  // base64("streamspace%20app:s3cret-value")
  CHECK(http->posted_authorization == "Basic c3RyZWFtc3BhY2UlMjBhcHA6czNjcmV0LXZhbHVl");
}

TEST_CASE_METHOD(Fixture, "a token endpoint refusal carries the provider's error code") {
  http->answers[token_url] = {
      400, R"({"error":"invalid_grant","error_description":"PKCE \"verifier\" mismatch"})"};
  RelyingParty rp(config, http);
  const auto identity = rp.CompleteLogin("code", "nonce", "verifier");
  REQUIRE_FALSE(identity.ok());
  CHECK(identity.error().code == ErrorCode::kTokenEndpointError);
  CHECK(identity.error().provider_error == "invalid_grant");
  CHECK(identity.error().message ==
        "OIDC token endpoint refused the code: invalid_grant (PKCE verifier mismatch)");
  CHECK_FALSE(identity.error().provider_unavailable());

  http->answers[token_url] = {502, "<html>bad gateway</html>"};
  const auto down = rp.CompleteLogin("code", "nonce", "verifier");
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().code == ErrorCode::kProviderUnavailable);
  CHECK(down.error().message.find(kSecret) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "an unknown kid fetches the JWKS again, at most once per interval") {
  config.unknown_key_refetch_interval = 10s;
  RelyingParty rp(config, http);
  REQUIRE(rp.Discover().ok());
  const TestKey rotated = TestKey::Rsa("k2");
  SetKeys({rotated.jwk});
  AnswerToken(rotated, "n");

  // Right after the first fetch, the rate limit holds.
  now += 1s;
  auto identity = rp.CompleteLogin("code", "n", "v");
  REQUIRE_FALSE(identity.ok());
  CHECK(identity.error().code == ErrorCode::kUnknownKey);
  CHECK(http->Count(jwks_url) == 1);

  now += 10s;
  identity = rp.CompleteLogin("code", "n", "v");
  REQUIRE(identity.ok());
  CHECK(http->Count(jwks_url) == 2);
  // The new key is kept: no further fetch.
  AnswerToken(rotated, "n");
  CHECK(rp.CompleteLogin("code", "n", "v").ok());
  CHECK(http->Count(jwks_url) == 2);

  // A kid nobody publishes cannot make us fetch on every call.
  AnswerToken(TestKey::Rsa("k3"), "n");
  now += 11s;
  CHECK_FALSE(rp.CompleteLogin("code", "n", "v").ok());
  CHECK_FALSE(rp.CompleteLogin("code", "n", "v").ok());
  CHECK(http->Count(jwks_url) == 3);
}

TEST_CASE_METHOD(Fixture, "concurrent callbacks share one discovery and one JWKS fetch") {
  RelyingParty rp(config, http);
  AnswerToken(key, "n");
  constexpr int kThreads = 8;
  std::vector<int> ok(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { ok[i] = rp.CompleteLogin("code", "n", "v").ok() ? 1 : 0; });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(std::count(ok.begin(), ok.end(), 1) == kThreads);
  CHECK(http->Count(discovery_url) == 1);
  CHECK(http->Count(jwks_url) == 1);
}

TEST_CASE_METHOD(Fixture, "metadata older than the maximum age is fetched again, or kept") {
  RelyingParty rp(config, http);
  REQUIRE(rp.Discover().ok());
  now += 30min;
  REQUIRE(rp.Discover().ok());
  CHECK(http->Count(discovery_url) == 1);
  now += 31min;
  REQUIRE(rp.Discover().ok());
  CHECK(http->Count(discovery_url) == 2);
  CHECK(http->Count(jwks_url) == 2);
  // The provider is down: the last good metadata still serves.
  http->answers.clear();
  now += 2h;
  CHECK(rp.Discover().ok());
  CHECK(http->Count(discovery_url) == 3);
}

}  // namespace
}  // namespace ss::oidc
