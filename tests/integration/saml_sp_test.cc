// libs/saml against an independent IdP: tests/sso/saml_idp.py (pysaml2 and xmlsec1, no lasso),
// run as a command. pysaml2 takes a second to start, so the test asks for every message in two
// batches (one before the SP answers, one to check the SP's answers) and then checks each case.
#include <openssl/evp.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "process.h"
#include "saml/service_provider.h"

namespace ss::saml {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kEntityId = "https://sp.test/saml/metadata";
constexpr const char* kAcsUrl = "https://sp.test/api/v1/auth/saml/acs";
constexpr const char* kSloUrl = "https://sp.test/api/v1/auth/saml/slo";
constexpr const char* kIdpEntityId = "https://idp.test/saml/metadata";

std::string Quote(const std::string& text) {
  return "'" + text + "'";
}

// Runs `command` with /bin/sh and returns its stdout; throws if it fails.
std::string Run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  if (pclose(pipe) != 0)
    throw std::runtime_error("failed: " + command);
  return out;
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                  reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()));
  return out;
}

std::string Query(const std::string& url) {
  return url.substr(url.find('?') + 1);
}

// A set of outstanding request IDs, consumed as auth would.
struct Outstanding {
  std::set<std::string> ids;
  RequestIdConsumer consumer() {
    return [this](std::string_view id) { return ids.erase(std::string(id)) == 1; };
  }
};

// Assertion IDs seen, as auth's replay cache would keep them.
struct Seen {
  std::set<std::string> ids;
  AssertionIdRecorder recorder() {
    return [this](std::string_view id, TimePoint) { return ids.insert(std::string(id)).second; };
  }
};

// Everything the IdP made, by name, and the SP that asked.
class Fixture {
 public:
  Fixture() : dir_("saml-sp-test-") {
    const char* idp = std::getenv("SAML_IDP");
    if (idp == nullptr)
      throw std::runtime_error("SAML_IDP is not set");
    idp_ = idp;
    const fs::path key = dir_.path() / "sp.key";
    const fs::path cert = dir_.path() / "sp.crt";
    Run("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + Quote(key) + " -out " + Quote(cert) +
        " -subj /CN=sp.test -days 2 2>/dev/null");
    idp_metadata_ = Run(IdpCommand("metadata"));
    config_.entity_id = kEntityId;
    config_.acs_url = kAcsUrl;
    config_.slo_url = kSloUrl;
    config_.private_key_pem = test::ReadFile(key);
    config_.certificate_pem = test::ReadFile(cert);
    config_.idp_metadata_xml = idp_metadata_;
    sp_ = std::make_unique<ServiceProvider>(config_);
    // pysaml2 reads the signed metadata, as a real IdP would.
    Write(dir_.path() / "sp.xml", sp_->Metadata(true));
  }

  const ServiceProvider& sp() const { return *sp_; }
  const ServiceProviderConfig& config() const { return config_; }
  const fs::path& dir() const { return dir_.path(); }
  const std::string& idp_metadata() const { return idp_metadata_; }

  std::string IdpCommand(const std::string& command) const {
    return Quote(idp_) + " " + command + " --dir " + Quote(dir_.path() / "idp") +
           (fs::exists(dir_.path() / "sp.xml") ? " --sp-metadata " + Quote(dir_.path() / "sp.xml")
                                               : "");
  }

  // Runs one batch of IdP commands; the answers by name.
  std::map<std::string, json> Batch(const std::vector<std::pair<std::string, json>>& commands) {
    const fs::path input = dir_.path() / ("batch" + std::to_string(++batches_) + ".jsonl");
    std::string lines;
    for (const auto& [name, command] : commands)
      lines += command.dump() + "\n";
    Write(input, lines);
    const std::string out = Run(IdpCommand("batch") + " < " + Quote(input));
    std::map<std::string, json> answers;
    std::size_t start = 0;
    for (const auto& [name, command] : commands) {
      const std::size_t end = out.find('\n', start);
      const json answer = json::parse(out.substr(start, end - start));
      if (!answer.at("ok").get<bool>())
        throw std::runtime_error(name + ": " + answer.at("error").get<std::string>());
      answers[name] = answer.at("value");
      start = end + 1;
    }
    return answers;
  }

 private:
  test::TempDir dir_;
  std::string idp_;
  std::string idp_metadata_;
  ServiceProviderConfig config_;
  std::unique_ptr<ServiceProvider> sp_;
  int batches_ = 0;
};

const std::vector<std::pair<std::string, Refusal>>& RefusalVariants() {
  static const std::vector<std::pair<std::string, Refusal>> variants{
      {"unsigned", Refusal::kUnsigned},
      {"signed-by-other-key", Refusal::kBadSignature},
      {"wrong-audience", Refusal::kWrongAudience},
      {"wrong-destination", Refusal::kWrongDestination},
      {"wrong-recipient", Refusal::kWrongRecipient},
      {"expired", Refusal::kExpired},
      {"not-yet-valid", Refusal::kNotYetValid},
      {"wrong-issuer", Refusal::kWrongIssuer},
      {"unknown-in-response-to", Refusal::kUnknownInResponseTo},
      {"status-failure", Refusal::kStatusNotSuccess},
      {"second-assertion", Refusal::kSignatureWrapping},
      {"moved-signed-element", Refusal::kSignatureWrapping},
      {"comment-in-nameid", Refusal::kCommentInAssertion},
  };
  return variants;
}

// The run: every login request the SP made, the IdP's messages, the SP's answers checked back.
struct Run1 {
  Fixture fixture;
  std::map<std::string, Redirect> logins;
  Redirect logout;
  std::map<std::string, json> idp;
  std::map<std::string, IdpLogoutResult> idp_logouts;
  std::map<std::string, json> answers;

  Run1() {
    std::vector<std::pair<std::string, json>> commands;
    for (const std::string name : {"ok", "ok-signed-response", "replay"})
      logins[name] = fixture.sp().StartLogin("/sessions?tab=" + name);
    for (const auto& [variant, refusal] : RefusalVariants())
      logins[variant] = fixture.sp().StartLogin("");
    commands.push_back({"decode-login", {{"cmd", "decode"}, {"url", logins["ok"].url}}});
    for (const auto& [name, login] : logins) {
      const std::string variant = name == "replay" ? "ok" : name;
      commands.push_back({"response-" + name,
                          {{"cmd", "response"},
                           {"variant", variant},
                           {"user", "alice"},
                           {"in_response_to", login.request_id}}});
    }
    commands.push_back({"idp-initiated", {{"cmd", "response"}, {"user", "dave"}}});
    for (const std::string& provider : PresetNames()) {
      commands.push_back(
          {"preset-" + provider, {{"cmd", "response"}, {"user", "carol"}, {"provider", provider}}});
    }
    logout = fixture.sp().StartLogout(
        {"alice@example.com", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "s-1"},
        "/bye");
    commands.push_back({"decode-logout", {{"cmd", "decode"}, {"url", logout.url}}});
    commands.push_back(
        {"logout-response", {{"cmd", "logout-response"}, {"in_response_to", logout.request_id}}});
    commands.push_back({"logout-response-failure",
                        {{"cmd", "logout-response"},
                         {"in_response_to", logout.request_id},
                         {"status", "failure"}}});
    for (const std::string binding : {"redirect", "post"}) {
      commands.push_back({"logout-request-" + binding,
                          {{"cmd", "logout-request"},
                           {"name_id", "erin@example.com"},
                           {"session_index", "idx-" + binding},
                           {"binding", binding},
                           {"relay_state", "rs-" + binding}}});
    }
    idp = fixture.Batch(commands);

    const auto now = std::chrono::system_clock::now();
    idp_logouts["redirect"] = fixture.sp().HandleLogoutRequest(
        Query(idp["logout-request-redirect"]["url"]), Binding::kRedirect, "", now);
    idp_logouts["post"] = fixture.sp().HandleLogoutRequest(
        idp["logout-request-post"]["form"].get<std::string>(), Binding::kPost, "rs-post", now);
    std::vector<std::pair<std::string, json>> checks;
    for (const auto& [binding, result] : idp_logouts) {
      if (result.ok() && result.response_url.find("SAMLResponse=") != std::string::npos)
        checks.push_back({binding, {{"cmd", "decode"}, {"url", result.response_url}}});
    }
    if (!checks.empty())
      answers = fixture.Batch(checks);
  }
};

Run1& TheRun() {
  static Run1 run;
  return run;
}

LoginResult Consume(const ServiceProvider& sp, const json& response, Outstanding& outstanding,
                    Seen& seen) {
  return sp.ConsumeResponse(response.get<std::string>(), outstanding.consumer(), seen.recorder(),
                            std::chrono::system_clock::now());
}

TEST_CASE("metadata: the SP's, signed and not", "[saml]") {
  Fixture& fixture = TheRun().fixture;
  const std::string plain = fixture.sp().Metadata(false);
  CHECK(plain.find(std::string("entityID=\"") + kEntityId + "\"") != std::string::npos);
  CHECK(plain.find("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" +
                   std::string(kAcsUrl)) != std::string::npos);
  CHECK(plain.find("SingleLogoutService") != std::string::npos);
  CHECK(plain.find("ds:Signature") == std::string::npos);
  const fs::path signed_path = fixture.dir() / "signed.xml";
  Write(signed_path, fixture.sp().Metadata(true));
  // xmlsec1 checks the signature with the SP's certificate.
  CHECK_NOTHROW(Run("xmlsec1 --verify --pubkey-cert-pem " + Quote(fixture.dir() / "sp.crt") +
                    " --id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor " +
                    Quote(signed_path) + " >/dev/null 2>&1"));
  CHECK(fixture.sp().idp_entity_id() == kIdpEntityId);
}

TEST_CASE("SP-initiated login: the AuthnRequest, then the signed assertion", "[saml]") {
  Run1& run = TheRun();
  const json& request = run.idp["decode-login"];
  CHECK(request["type"] == "AuthnRequest");
  CHECK(request["id"] == run.logins["ok"].request_id);
  CHECK(request["acs_url"] == kAcsUrl);
  CHECK(request["protocol_binding"] == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
  CHECK(request["issuer"] == kEntityId);
  CHECK(request["relay_state"] == "/sessions?tab=ok");
  CHECK(request["signature_verified"] == true);

  for (const std::string name : {"ok", "ok-signed-response"}) {
    INFO(name);
    Outstanding outstanding{{run.logins[name].request_id, "_other"}};
    Seen seen;
    const LoginResult result =
        Consume(run.fixture.sp(), run.idp["response-" + name], outstanding, seen);
    INFO(result.detail);
    REQUIRE(result.ok());
    CHECK(outstanding.ids == std::set<std::string>{"_other"});
    CHECK(seen.ids.count(result.assertion.assertion_id) == 1);
    const LoginAssertion& assertion = result.assertion;
    CHECK(assertion.issuer == kIdpEntityId);
    CHECK(assertion.name_id == "alice@example.com");
    CHECK(assertion.name_id_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    CHECK(!assertion.session_index.empty());
    CHECK(assertion.in_response_to == run.logins[name].request_id);
    CHECK(assertion.not_on_or_after > std::chrono::system_clock::now());
    CHECK(assertion.attributes.at("groups") == std::vector<std::string>{"eng", "ops"});
    CHECK(assertion.user.username == "alice");
    CHECK(assertion.user.email == "alice@example.com");
    CHECK(assertion.user.display_name == "Alice Liddell");
    CHECK(assertion.user.groups == std::vector<std::string>{"eng", "ops"});
  }
}

TEST_CASE("IdP-initiated login: allowed by default, refused when disabled", "[saml]") {
  Run1& run = TheRun();
  Outstanding outstanding{{"_pending"}};
  Seen seen;
  LoginResult result = Consume(run.fixture.sp(), run.idp["idp-initiated"], outstanding, seen);
  INFO(result.detail);
  REQUIRE(result.ok());
  CHECK(result.assertion.in_response_to.empty());
  CHECK(result.assertion.user.username == "dave");
  CHECK(outstanding.ids.size() == 1);

  ServiceProviderConfig config = run.fixture.config();
  config.allow_idp_initiated = false;
  const ServiceProvider strict(config);
  Seen fresh;
  result = Consume(strict, run.idp["idp-initiated"], outstanding, fresh);
  CHECK(result.refusal == Refusal::kUnsolicited);
}

TEST_CASE("every crafted response is refused with its reason", "[saml]") {
  Run1& run = TheRun();
  for (const auto& [variant, refusal] : RefusalVariants()) {
    Outstanding outstanding{{run.logins[variant].request_id}};
    Seen seen;
    const LoginResult result =
        Consume(run.fixture.sp(), run.idp["response-" + variant], outstanding, seen);
    INFO(variant << ": " << RefusalName(result.refusal) << ": " << result.detail);
    CHECK(result.refusal == refusal);
    CHECK(seen.ids.empty());
  }
  Outstanding none;
  Seen seen;
  const auto consume = [&](const std::string& form_value) {
    return run.fixture.sp()
        .ConsumeResponse(form_value, none.consumer(), seen.recorder(),
                         std::chrono::system_clock::now())
        .refusal;
  };
  CHECK(consume("not base64!") == Refusal::kMalformed);
  CHECK(consume(Base64("<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'")) ==
        Refusal::kMalformed);
  CHECK(
      consume(Base64("<!DOCTYPE r [<!ENTITY e 'x'>]><samlp:Response "
                     "xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'>&e;</samlp:Response>")) ==
      Refusal::kMalformed);
  CHECK(
      consume(Base64("<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>")) ==
      Refusal::kMalformed);
}

TEST_CASE("a replayed assertion is refused", "[saml]") {
  Run1& run = TheRun();
  Outstanding outstanding{{run.logins["replay"].request_id}};
  Seen seen;
  REQUIRE(Consume(run.fixture.sp(), run.idp["response-replay"], outstanding, seen).ok());
  // Even with its request outstanding again, the assertion ID was used.
  outstanding.ids.insert(run.logins["replay"].request_id);
  const LoginResult again =
      Consume(run.fixture.sp(), run.idp["response-replay"], outstanding, seen);
  CHECK(again.refusal == Refusal::kReplayed);
}

TEST_CASE("each preset maps the attributes its provider sends", "[saml]") {
  Run1& run = TheRun();
  for (const std::string& provider : PresetNames()) {
    INFO(provider);
    ServiceProviderConfig config = run.fixture.config();
    config.mapping = PresetMapping(provider);
    const ServiceProvider sp(config);
    Outstanding outstanding;
    Seen seen;
    const LoginResult result = Consume(sp, run.idp["preset-" + provider], outstanding, seen);
    INFO(result.detail);
    REQUIRE(result.ok());
    CHECK(result.assertion.user.username == (provider == "google" ? "carol@example.com" : "carol"));
    CHECK(result.assertion.user.email == "carol@example.com");
    CHECK(result.assertion.user.display_name == "Carol Liddell");
    CHECK(result.assertion.user.groups == std::vector<std::string>{"eng", "ops"});
  }
}

TEST_CASE("one ServiceProvider serves many threads at once", "[saml]") {
  Run1& run = TheRun();
  const std::string response = run.idp["preset-generic"].get<std::string>();
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int round = 0; round < 3; ++round) {
        Outstanding outstanding;
        Seen seen;
        const Redirect login = run.fixture.sp().StartLogin("");
        if (!login.request_id.empty() && !run.fixture.sp().Metadata(true).empty() &&
            run.fixture.sp()
                .ConsumeResponse(response, outstanding.consumer(), seen.recorder(),
                                 std::chrono::system_clock::now())
                .ok()) {
          ++accepted;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(accepted == 12);
}

TEST_CASE("SP-initiated single logout", "[saml]") {
  Run1& run = TheRun();
  const json& request = run.idp["decode-logout"];
  CHECK(request["type"] == "LogoutRequest");
  CHECK(request["id"] == run.logout.request_id);
  CHECK(request["name_id"] == "alice@example.com");
  CHECK(request["session_indexes"] == json::array({"s-1"}));
  CHECK(request["destination"] == "https://idp.test/saml/slo");
  CHECK(request["relay_state"] == "/bye");
  CHECK(request["signature_verified"] == true);

  Outstanding outstanding{{run.logout.request_id}};
  const LogoutResponseResult failed = run.fixture.sp().FinishLogout(
      Query(run.idp["logout-response-failure"]["url"]), Binding::kRedirect, outstanding.consumer());
  CHECK(failed.refusal == Refusal::kStatusNotSuccess);
  outstanding.ids = {run.logout.request_id};
  const LogoutResponseResult result = run.fixture.sp().FinishLogout(
      Query(run.idp["logout-response"]["url"]), Binding::kRedirect, outstanding.consumer());
  INFO(result.detail);
  CHECK(result.ok());
  CHECK(result.in_response_to == run.logout.request_id);
  CHECK(outstanding.ids.empty());
  // The same answer again names no outstanding logout.
  CHECK(run.fixture.sp()
            .FinishLogout(Query(run.idp["logout-response"]["url"]), Binding::kRedirect,
                          outstanding.consumer())
            .refusal == Refusal::kUnknownInResponseTo);
}

TEST_CASE("IdP-initiated single logout, by redirect and by POST", "[saml]") {
  Run1& run = TheRun();
  for (const std::string binding : {"redirect", "post"}) {
    INFO(binding);
    const IdpLogoutResult& result = run.idp_logouts[binding];
    INFO(result.detail << " " << result.response_url);
    REQUIRE(result.ok());
    CHECK(result.request_id == run.idp["logout-request-" + binding]["id"]);
    CHECK(result.name_id == "erin@example.com");
    CHECK(result.session_indexes == std::vector<std::string>{"idx-" + binding});
    const json& answer = run.answers[binding];
    CHECK(answer["type"] == "LogoutResponse");
    CHECK(answer["in_response_to"] == result.request_id);
    CHECK(answer["status"] == "urn:oasis:names:tc:SAML:2.0:status:Success");
    CHECK(answer["destination"] == "https://idp.test/saml/slo");
    CHECK(answer["relay_state"] == "rs-" + binding);
    CHECK(answer["signature_verified"] == true);
  }
  // Without its signature the request is refused.
  std::string query = Query(run.idp["logout-request-redirect"]["url"]);
  query = query.substr(0, query.find("&Signature="));
  const IdpLogoutResult unsigned_request = run.fixture.sp().HandleLogoutRequest(
      query, Binding::kRedirect, "", std::chrono::system_clock::now());
  CHECK(unsigned_request.refusal == Refusal::kUnsigned);
}

}  // namespace
}  // namespace ss::saml
