// The OpenID Connect relying party (libs/oidc) against an independent provider written in Python
// (tests/sso/oidc_provider.py, OIDC_PROVIDER): discovery, the authorization code flow with PKCE
// through the provider's real /authorize and /token, and every refusal the provider can be made
// to cause, including a key rotation the relying party must follow without a restart.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <thread>

#include "http_client.h"
#include "oidc/relying_party.h"
#include "process.h"

using namespace std::chrono_literals;
using ss::oidc::ErrorCode;
using ss::oidc::RelyingParty;

namespace {

constexpr const char* kClientId = "streamspace";
constexpr const char* kClientSecret = "provider-secret-0123456789";
// Never contacted: the browser would follow it; the test reads it from the Location header.
constexpr const char* kRedirectUri = "http://127.0.0.1:9/api/v1/auth/oidc/callback";

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> QueryOf(std::string_view url) {
  std::map<std::string, std::string> values;
  const std::size_t question = url.find('?');
  if (question == std::string_view::npos)
    return values;
  std::string_view query = url.substr(question + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t equals = pair.find('=');
    values[PercentDecode(pair.substr(0, equals))] =
        equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return values;
}

// The Python provider as a child process on a free loopback port.
class Provider {
 public:
  explicit Provider(const std::string& alg)
      : port_(ss::test::FreePort()), issuer_("http://127.0.0.1:" + std::to_string(port_)) {
    const char* script = std::getenv("OIDC_PROVIDER");
    if (script == nullptr)
      throw std::runtime_error("OIDC_PROVIDER (tests/sso/oidc_provider.py) is not set");
    ss::test::ProcessOptions options;
    options.binary = script;
    options.args = {"--port",  std::to_string(port_), "--issuer",    issuer_, "--client-id",
                    kClientId, "--client-secret",     kClientSecret, "--alg", alg};
    options.log_path = dir_.path() / "oidc_provider.log";
    process_.emplace(options);
    if (!process_->WaitForPort(port_, 20s))
      throw std::runtime_error("the OIDC provider did not start:\n" + process_->LogContents());
  }

  int port() const { return port_; }
  const std::string& issuer() const { return issuer_; }

  // POST /control; the answer's JSON.
  nlohmann::json Control(const nlohmann::json& command) const {
    ss::test::HttpClient client("127.0.0.1", port_);
    const auto answer = client.Post("/control", command.dump());
    REQUIRE(answer.status == 200);
    return answer.Json();
  }

  // How often the JWKS was served so far (the provider logs each request's path).
  int JwksFetches() const {
    const std::string log = process_->LogContents();
    int count = 0;
    for (std::size_t at = log.find("GET /jwks\n"); at != std::string::npos;
         at = log.find("GET /jwks\n", at + 1)) {
      ++count;
    }
    return count;
  }

  // Follows an authorization URL as a browser would, up to the 302 back to us: the callback's
  // query parameters (code and state, or error).
  std::map<std::string, std::string> Authorize(const std::string& url,
                                               const std::string& login_hint = "") const {
    const std::string prefix = issuer_ + "/";
    REQUIRE(url.rfind(prefix, 0) == 0);
    std::string target = url.substr(issuer_.size());
    if (!login_hint.empty())
      target += "&login_hint=" + login_hint;
    ss::test::HttpClient client("127.0.0.1", port_);
    const auto answer = client.Get(target);
    REQUIRE(answer.status == 302);
    const std::string location = answer.Header("location");
    REQUIRE(location.rfind(std::string(kRedirectUri) + "?", 0) == 0);
    return QueryOf(location);
  }

 private:
  int port_;
  std::string issuer_;
  ss::test::TempDir dir_{"oidc-provider-"};
  std::optional<ss::test::Process> process_;
};

// One provider for the whole run (it starts in about a second); each test makes its own relying
// party, and clears any misbehaviour a failed test left behind.
Provider& SharedProvider() {
  static Provider provider("RS256");
  return provider;
}

ss::oidc::Config ConfigFor(const Provider& provider) {
  ss::oidc::Config config;
  config.issuer = provider.issuer();
  config.client_id = kClientId;
  config.client_secret = kClientSecret;
  config.redirect_uri = kRedirectUri;
  config.http_timeout = 5s;
  // Short, so that the rotation test need not wait the default 10 s.
  config.unknown_key_refetch_interval = 300ms;
  return config;
}

struct Fixture {
  Provider& provider = SharedProvider();
  RelyingParty rp{ConfigFor(provider), ss::oidc::MakeHttpTransport(5s)};

  Fixture() { provider.Control({{"misbehave", nullptr}}); }

  // A whole sign-in: authorization URL, the provider's /authorize, the callback's state
  // checked, then the code exchanged and the ID token verified.
  ss::oidc::Result<ss::oidc::Identity> SignIn(const std::string& login_hint = "") {
    const auto login = rp.StartLogin();
    REQUIRE(login.ok());
    auto callback = provider.Authorize(login->authorization_url, login_hint);
    REQUIRE(RelyingParty::StateMatches(login->state, callback["state"]));
    return rp.CompleteLogin(callback["code"], login->nonce, login->code_verifier);
  }

  // The refusal of a sign-in whose next ID token misbehaves as `kind`.
  ss::oidc::Error Refusal(const std::string& kind) {
    provider.Control({{"misbehave", kind}});
    return Refused(SignIn());
  }

  static ss::oidc::Error Refused(const ss::oidc::Result<ss::oidc::Identity>& result) {
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message.find(kClientSecret) == std::string::npos);
    return result.error();
  }
};

TEST_CASE_METHOD(Fixture, "discovery reads the provider's endpoints") {
  const auto metadata = rp.Discover();
  REQUIRE(metadata.ok());
  CHECK(metadata->issuer == provider.issuer());
  CHECK(metadata->authorization_endpoint == provider.issuer() + "/authorize");
  CHECK(metadata->token_endpoint == provider.issuer() + "/token");
  CHECK(metadata->jwks_uri == provider.issuer() + "/jwks");
}

TEST_CASE("discovery refuses another issuer and reports an unreachable provider") {
  ss::oidc::Config config = ConfigFor(SharedProvider());
  config.issuer += "/";  // the provider's document says it without the slash
  const auto mismatch = RelyingParty(config, ss::oidc::MakeHttpTransport(5s)).Discover();
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == ErrorCode::kIssuerMismatch);

  config.issuer = "http://127.0.0.1:" + std::to_string(ss::test::FreePort());
  const auto down = RelyingParty(config, ss::oidc::MakeHttpTransport(5s)).Discover();
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().code == ErrorCode::kProviderUnavailable);
  CHECK(down.error().provider_unavailable());
}

TEST_CASE_METHOD(Fixture, "a full login yields the provider's claims and groups") {
  // bob's single group travels as a string; jane.doe, set last, is the default user.
  provider.Control({{"user", {{"username", "bob"}, {"groups", "operators"}}}});
  provider.Control({{"user",
                     {{"username", "jane.doe"},
                      {"email", "jane@example.com"},
                      {"name", "Jane Doe"},
                      {"groups", {"streamspace-admins", "staff"}}}}});
  const auto identity = SignIn();
  REQUIRE(identity.ok());
  CHECK(identity->issuer == provider.issuer());
  CHECK(identity->subject == "sub-jane.doe");
  CHECK(identity->username == "jane.doe");
  CHECK(identity->email == "jane@example.com");
  CHECK(identity->display_name == "Jane Doe");
  CHECK(identity->groups == std::vector<std::string>{"streamspace-admins", "staff"});

  const auto bob = SignIn("bob");
  REQUIRE(bob.ok());
  CHECK(bob->username == "bob");
  CHECK(bob->groups == std::vector<std::string>{"operators"});
}

TEST_CASE_METHOD(Fixture, "a code is single use") {
  const auto login = rp.StartLogin();
  REQUIRE(login.ok());
  auto callback = provider.Authorize(login->authorization_url);
  REQUIRE(rp.CompleteLogin(callback["code"], login->nonce, login->code_verifier).ok());
  const auto error =
      Refused(rp.CompleteLogin(callback["code"], login->nonce, login->code_verifier));
  CHECK(error.code == ErrorCode::kTokenEndpointError);
  CHECK(error.provider_error == "invalid_grant");
  CHECK(error.message.find(callback["code"]) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "a wrong state is refused by the constant-time comparison") {
  const auto mine = rp.StartLogin();
  const auto other = rp.StartLogin();
  REQUIRE(mine.ok());
  REQUIRE(other.ok());
  auto callback = provider.Authorize(other->authorization_url);
  CHECK(callback["state"] == other->state);
  CHECK_FALSE(RelyingParty::StateMatches(mine->state, callback["state"]));
  CHECK_FALSE(RelyingParty::StateMatches(mine->state, mine->state + "x"));
  CHECK_FALSE(RelyingParty::StateMatches(mine->state, ""));
}

TEST_CASE_METHOD(Fixture, "a wrong nonce is refused") {
  CHECK(Refusal("wrong_nonce").code == ErrorCode::kWrongNonce);

  // A code obtained for one sign-in, completed with another sign-in's nonce.
  const auto first = rp.StartLogin();
  const auto second = rp.StartLogin();
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  auto callback = provider.Authorize(first->authorization_url);
  const auto error =
      Refused(rp.CompleteLogin(callback["code"], second->nonce, first->code_verifier));
  CHECK(error.code == ErrorCode::kWrongNonce);
  CHECK(error.message.find(second->nonce) == std::string::npos);
}

TEST_CASE_METHOD(Fixture, "a token from another issuer is refused") {
  CHECK(Refusal("wrong_issuer").code == ErrorCode::kWrongIssuer);
}

TEST_CASE_METHOD(Fixture, "a token for another audience is refused") {
  CHECK(Refusal("wrong_audience").code == ErrorCode::kWrongAudience);
}

TEST_CASE_METHOD(Fixture, "an expired token is refused") {
  CHECK(Refusal("expired").code == ErrorCode::kExpired);
}

TEST_CASE_METHOD(Fixture, "alg none and HS256 keyed with the public key are refused") {
  CHECK(Refusal("alg_none").code == ErrorCode::kUnsupportedAlgorithm);
  CHECK(Refusal("hs256_public_key").code == ErrorCode::kUnsupportedAlgorithm);
}

TEST_CASE_METHOD(Fixture, "a token signed by a key outside the JWKS is refused") {
  CHECK(Refusal("unknown_key").code == ErrorCode::kUnknownKey);
  CHECK(Refusal("bad_signature").code == ErrorCode::kBadSignature);
}

TEST_CASE_METHOD(Fixture, "after a key rotation the JWKS is fetched again on the unknown kid") {
  REQUIRE(SignIn().ok());
  const int fetches = provider.JwksFetches();
  const std::string new_kid = provider.Control({{"rotate", true}})["kid"];
  // Past the relying party's rate limit for unknown kids (300 ms here, 10 s by default).
  std::this_thread::sleep_for(400ms);
  const auto identity = SignIn();
  REQUIRE(identity.ok());
  CHECK(provider.JwksFetches() == fetches + 1);
  // The new key is kept: the next sign-in fetches nothing.
  REQUIRE(SignIn().ok());
  CHECK(provider.JwksFetches() == fetches + 1);
  CHECK_FALSE(new_kid.empty());
}

TEST_CASE_METHOD(Fixture, "the provider refuses a wrong PKCE verifier and the error surfaces") {
  const auto login = rp.StartLogin();
  const auto other = rp.StartLogin();
  REQUIRE(login.ok());
  REQUIRE(other.ok());
  auto callback = provider.Authorize(login->authorization_url);
  const auto error =
      Refused(rp.CompleteLogin(callback["code"], login->nonce, other->code_verifier));
  CHECK(error.code == ErrorCode::kTokenEndpointError);
  CHECK(error.provider_error == "invalid_grant");
  CHECK(error.message.find("PKCE") != std::string::npos);
  CHECK(error.message.find(other->code_verifier) == std::string::npos);
}

TEST_CASE("a wrong client secret is refused by the token endpoint") {
  Provider& provider = SharedProvider();
  ss::oidc::Config config = ConfigFor(provider);
  config.client_secret = "not-the-secret";
  RelyingParty rp(config, ss::oidc::MakeHttpTransport(5s));
  const auto login = rp.StartLogin();
  REQUIRE(login.ok());
  auto callback = provider.Authorize(login->authorization_url);
  const auto result = rp.CompleteLogin(callback["code"], login->nonce, login->code_verifier);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().provider_error == "invalid_client");
  CHECK(result.error().message.find("not-the-secret") == std::string::npos);
}

TEST_CASE("a provider signing with ES256 works too") {
  Provider provider("ES256");
  RelyingParty rp(ConfigFor(provider), ss::oidc::MakeHttpTransport(5s));
  const auto login = rp.StartLogin();
  REQUIRE(login.ok());
  auto callback = provider.Authorize(login->authorization_url, "carol");
  const auto identity = rp.CompleteLogin(callback["code"], login->nonce, login->code_verifier);
  REQUIRE(identity.ok());
  CHECK(identity->username == "carol");
}

}  // namespace
