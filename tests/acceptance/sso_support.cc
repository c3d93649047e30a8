#include "sso_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace ss::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr char kPython[] = "/usr/bin/python3";

fs::path Script(const char* name) {
  return fs::path(SS_SOURCE_DIR) / "tests" / "sso" / name;
}

std::string Quote(const std::string& text) {
  return "'" + text + "'";
}

// Runs a short command with /bin/sh; throws if it fails.
void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("failed: " + command);
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

std::string PercentEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

}  // namespace

SamlProviders::SamlProviders(bool by_url, std::string preset)
    : dir_("sso-saml-"), by_url_(by_url), preset_(std::move(preset)) {
  const fs::path& dir = dir_.path();
  Run("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + Quote(dir / "sp.key") + " -out " +
      Quote(dir / "sp.crt") + " -subj /CN=sp.test -days 2 2>/dev/null");
  fs::create_directories(dir / "www");
  Run(std::string(kPython) + " " + Quote(Script("saml_idp.py")) + " metadata --dir " +
      Quote(dir / "idp") + " > " + Quote(dir / "www" / "idp.xml"));
  if (by_url_) {
    metadata_port_ = FreePort();
    metadata_server_ = std::make_unique<Process>(
        ProcessOptions{kPython,
                       {"-m", "http.server", "--bind", "127.0.0.1", "--directory",
                        (dir / "www").string(), std::to_string(metadata_port_)},
                       BaseEnvironment(),
                       dir / "metadata-server.log",
                       std::nullopt});
    if (!metadata_server_->WaitForPort(metadata_port_, 20s))
      throw std::runtime_error("http.server did not start:\n" + metadata_server_->LogContents());
  }
}

SamlProviders::~SamlProviders() {
  if (commands_fd_ >= 0)
    close(commands_fd_);
  if (idp_)
    idp_->Stop(SIGTERM, 2s);
  if (metadata_server_)
    metadata_server_->Stop(SIGTERM, 2s);
}

Environment SamlProviders::AuthEnv() const {
  Environment env{{"SAML_ENTITY_ID", kSpEntityId},
                  {"SAML_ACS_URL", kSpAcsUrl},
                  {"SAML_SLO_URL", kSpSloUrl},
                  {"SAML_SP_KEY_FILE", (dir_.path() / "sp.key").string()},
                  {"SAML_SP_CERT_FILE", (dir_.path() / "sp.crt").string()},
                  {"SAML_PROVIDER", preset_}};
  if (by_url_) {
    env["SAML_IDP_METADATA_URL"] =
        "http://127.0.0.1:" + std::to_string(metadata_port_) + "/idp.xml";
  } else {
    env["SAML_IDP_METADATA_FILE"] = (dir_.path() / "www" / "idp.xml").string();
  }
  return env;
}

void SamlProviders::StartIdp(AuthStack& stack) {
  const HttpResponse metadata = stack.Api().Get("/api/v1/auth/saml/metadata");
  INFO(metadata.status << " " << metadata.body);
  REQUIRE(metadata.status == 200);
  const fs::path& dir = dir_.path();
  Write(dir / "sp.xml", metadata.body);
  const fs::path fifo = dir / "idp-commands";
  if (mkfifo(fifo.c_str(), 0600) != 0)
    throw std::runtime_error("mkfifo " + fifo.string());
  // Read-write, so that opening does not wait for the reader; the IdP reads until it is closed.
  commands_fd_ = open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  if (commands_fd_ < 0)
    throw std::runtime_error("open " + fifo.string());
  const std::string command = "exec " + std::string(kPython) + " " + Quote(Script("saml_idp.py")) +
                              " batch --dir " + Quote(dir / "idp") + " --sp-metadata " +
                              Quote(dir / "sp.xml") + " < " + Quote(fifo) + " 2>> " +
                              Quote(dir / "idp.log");
  idp_ = std::make_unique<Process>(ProcessOptions{
      "/bin/sh", {"-c", command}, BaseEnvironment(), dir / "idp-answers.jsonl", std::nullopt});
}

json SamlProviders::Idp(const json& command) {
  if (!idp_)
    throw std::logic_error("StartIdp first");
  const std::string line = command.dump() + "\n";
  if (write(commands_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("cannot write to the IdP");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    const std::string out = idp_->LogContents();
    std::size_t start = 0;
    for (std::size_t i = 0; i < answered_ && start != std::string::npos; ++i) {
      start = out.find('\n', start);
      start = start == std::string::npos ? start : start + 1;
    }
    const std::size_t end = start == std::string::npos ? start : out.find('\n', start);
    if (end != std::string::npos) {
      ++answered_;
      const json answer = json::parse(out.substr(start, end - start));
      if (!answer.at("ok").get<bool>()) {
        throw std::runtime_error(command.dump() + ": " + answer.at("error").get<std::string>());
      }
      return answer.at("value");
    }
    if (std::chrono::steady_clock::now() > deadline || !idp_->Running()) {
      throw std::runtime_error("the IdP did not answer " + command.dump() + "\n" +
                               ReadFile(dir_.path() / "idp.log"));
    }
    std::this_thread::sleep_for(20ms);
  }
}

std::string SamlProviders::Response(const std::string& user, json extra) {
  extra["cmd"] = "response";
  extra["user"] = user;
  extra["provider"] = preset_;
  return Idp(extra).get<std::string>();
}

OidcProvider::OidcProvider(const std::string& client_id, const std::string& client_secret)
    : port_(FreePort()), issuer_("http://127.0.0.1:" + std::to_string(port_)) {
  process_ = std::make_unique<Process>(ProcessOptions{
      kPython,
      {Script("oidc_provider.py").string(), "--port", std::to_string(port_), "--issuer", issuer_,
       "--client-id", client_id, "--client-secret", client_secret},
      BaseEnvironment(),
      dir_.path() / "oidc_provider.log",
      std::nullopt});
  if (!process_->WaitForPort(port_, 20s))
    throw std::runtime_error("the OIDC provider did not start:\n" + process_->LogContents());
}

json OidcProvider::Control(const json& command) const {
  const HttpResponse answer = HttpClient("127.0.0.1", port_).Post("/control", command.dump());
  INFO(answer.status << " " << answer.body);
  REQUIRE(answer.status == 200);
  return answer.Json();
}

std::string OidcProvider::Authorize(const std::string& url) const {
  INFO(url);
  REQUIRE(url.rfind(issuer_, 0) == 0);
  const HttpResponse answer = HttpClient("127.0.0.1", port_).Get(url.substr(issuer_.size()));
  INFO(answer.status << " " << answer.body);
  REQUIRE(answer.status == 302);
  return answer.Header("location");
}

std::string QueryPart(const std::string& url) {
  const std::size_t question = url.find('?');
  return question == std::string::npos ? url : url.substr(question + 1);
}

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> values;
  std::string query = QueryPart(url);
  std::size_t start = 0;
  while (start < query.size()) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, amp - start);
    const std::size_t equals = pair.find('=');
    values[PercentDecode(pair.substr(0, equals))] =
        equals == std::string::npos ? "" : PercentDecode(pair.substr(equals + 1));
    start = amp + 1;
  }
  return values;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields)
    out += (out.empty() ? "" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  return out;
}

HttpResponse PostForm(AuthStack& stack, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& fields) {
  return stack.Api().Send({"POST",
                           target,
                           {{"Content-Type", "application/x-www-form-urlencoded"}},
                           FormEncode(fields)});
}

HttpResponse GetWith(AuthStack& stack, const std::string& target, const Headers& headers) {
  return stack.Api().Send({"GET", target, headers, ""});
}

std::string SignInCookieOf(const HttpResponse& response) {
  constexpr std::string_view kName = "streamspace_session=";
  const std::string cookie = response.Header("set-cookie");
  if (cookie.rfind(kName, 0) != 0)
    return "";
  return cookie.substr(kName.size(), cookie.find(';') - kName.size());
}

bool ClearsSignInCookie(const HttpResponse& response) {
  const std::string cookie = response.Header("set-cookie");
  return cookie.rfind("streamspace_session=;", 0) == 0 &&
         cookie.find("Max-Age=0") != std::string::npos;
}

std::string OwnOrigin(const AuthStack& stack) {
  return "http://127.0.0.1:" + std::to_string(stack.api_port());
}

HttpResponse SignInTokenCall(AuthStack& stack, const std::string& cookie,
                             const std::string& origin) {
  HttpRequest request{
      "POST",
      "/api/v1/auth/session",
      {{"Content-Type", "application/json"}, {"Cookie", "streamspace_session=" + cookie}},
      "{}"};
  if (!origin.empty())
    request.headers["Origin"] = origin;
  return stack.Api().Send(request);
}

std::string SignInToken(AuthStack& stack, const std::string& cookie) {
  const json answer = Ok(SignInTokenCall(stack, cookie, OwnOrigin(stack)));
  REQUIRE(answer["token"].is_string());
  const std::string token = answer["token"];
  stack.Remember(token);
  return token;
}

json Me(AuthStack& stack, const std::string& token) {
  return Ok(stack.Api().Get("/api/v1/users/me", token));
}

bool TokenRefused(AuthStack& stack, const std::string& token) {
  return stack.Api().Get("/api/v1/users/me", token).status == 401;
}

int UserCount(AuthStack& stack, const std::string& admin_token) {
  return Ok(stack.Api().Get("/api/v1/users", admin_token))["total"].get<int>();
}

std::vector<std::string> GroupsOf(AuthStack& stack, const std::string& admin_token,
                                  const std::string& user_id) {
  const json list = Ok(stack.Api().Get("/api/v1/users/" + user_id + "/groups", admin_token));
  std::vector<std::string> names;
  for (const json& group : list["groups"])
    names.push_back(group["name"].get<std::string>());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace ss::test
