#include "oidc/relying_party.h"

#include <cpprest/base_uri.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "authn/encoding.h"

namespace ss::oidc {
namespace {

constexpr std::size_t kSecretBytes = 32;

std::string Encode(std::string_view value) {
  return web::uri::encode_data_string(std::string(value));
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

std::string RandomToken() {
  return authn::Base64UrlEncode(authn::RandomBytes(kSecretBytes));
}

// An RFC 6749 §5.2 error value or description for a message: printable ASCII without quotes
// or backslashes (the grammar's own set), and short.
std::string ProviderText(const nlohmann::json& body, const char* name, std::size_t limit) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string())
    return {};
  std::string out;
  for (char c : it->get<std::string>()) {
    if (out.size() == limit)
      break;
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      out.push_back(c);
  }
  return out;
}

std::string StringMember(const nlohmann::json& json, const char* name) {
  const auto it = json.find(name);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string DiscoveryUrl(std::string issuer) {
  // OpenID Connect Discovery §4: a trailing slash of the issuer is not doubled.
  if (!issuer.empty() && issuer.back() == '/')
    issuer.pop_back();
  return issuer + "/.well-known/openid-configuration";
}

Result<ProviderMetadata> ParseDiscovery(const std::string& document, const std::string& issuer) {
  const nlohmann::json json = nlohmann::json::parse(document, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return MakeError(ErrorCode::kBadDiscovery, "OIDC discovery document is not a JSON object");
  ProviderMetadata metadata{StringMember(json, "issuer"),
                            StringMember(json, "authorization_endpoint"),
                            StringMember(json, "token_endpoint"), StringMember(json, "jwks_uri")};
  // Discovery §4.3: exactly the configured issuer, or an impostor's keys could be trusted.
  if (metadata.issuer != issuer) {
    return MakeError(ErrorCode::kIssuerMismatch,
                     "OIDC discovery document names another issuer than " + issuer);
  }
  for (const std::string* url :
       {&metadata.authorization_endpoint, &metadata.token_endpoint, &metadata.jwks_uri}) {
    if (!IsAllowedUrl(*url)) {
      return MakeError(ErrorCode::kBadDiscovery,
                       "OIDC discovery lacks an https authorization_endpoint, token_endpoint or "
                       "jwks_uri");
    }
  }
  return metadata;
}

}  // namespace

struct RelyingParty::Snapshot {
  ProviderMetadata metadata;
  KeySet keys;
  // When discovery was fetched.
  Clock::time_point fetched_at;
};

RelyingParty::RelyingParty(Config config, HttpTransportPtr http)
    : config_(std::move(config)), http_(std::move(http)) {
  if (const auto error = CheckConfig(config_))
    throw std::invalid_argument(error->message);
  if (!http_)
    throw std::invalid_argument("OIDC relying party needs an HTTP transport");
}

RelyingParty::~RelyingParty() = default;

RelyingParty::Clock::time_point RelyingParty::Now() const {
  return config_.now ? config_.now() : Clock::now();
}

bool RelyingParty::StateMatches(std::string_view stored, std::string_view received) {
  return !stored.empty() && !received.empty() && authn::ConstantTimeEquals(stored, received);
}

Result<ProviderMetadata> RelyingParty::Discover() {
  auto snapshot = Current();
  if (!snapshot)
    return snapshot.error();
  return snapshot.value()->metadata;
}

Result<std::shared_ptr<const RelyingParty::Snapshot>> RelyingParty::Current() {
  std::shared_ptr<const Snapshot> old;
  {
    std::lock_guard lock(mutex_);
    if (snapshot_ && Now() - snapshot_->fetched_at < config_.metadata_max_age)
      return snapshot_;
    old = snapshot_;
  }
  if (old) {
    // Stale but usable: one thread refreshes, the others go on with what they have.
    std::unique_lock fetching(fetch_mutex_, std::try_to_lock);
    if (!fetching.owns_lock())
      return old;
    auto fresh = Fetch();
    if (fresh)
      return fresh;
    spdlog::warn("OIDC metadata refresh failed, keeping the previous one: {}",
                 fresh.error().message);
    return old;
  }
  std::lock_guard fetching(fetch_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (snapshot_)
      return snapshot_;
  }
  return Fetch();
}

Result<KeySet> RelyingParty::FetchKeys(const std::string& jwks_uri) {
  const auto jwks = http_->Get(jwks_uri);
  if (!jwks)
    return jwks.error();
  if (jwks->status != 200) {
    return MakeError(ErrorCode::kProviderUnavailable,
                     "OIDC JWKS answered HTTP " + std::to_string(jwks->status));
  }
  int skipped = 0;
  auto keys = KeySet::Parse(jwks->body, &skipped);
  if (keys && keys->empty())
    return MakeError(ErrorCode::kProviderUnavailable, "OIDC JWKS holds no usable signing key");
  if (keys && skipped > 0)
    spdlog::info("OIDC JWKS of {}: {} keys not usable here were skipped", config_.issuer, skipped);
  return keys;
}

Result<std::shared_ptr<const RelyingParty::Snapshot>> RelyingParty::Fetch() {
  const auto discovery = http_->Get(DiscoveryUrl(config_.issuer));
  if (!discovery)
    return discovery.error();
  if (discovery->status != 200) {
    return MakeError(ErrorCode::kProviderUnavailable,
                     "OIDC discovery answered HTTP " + std::to_string(discovery->status));
  }
  auto metadata = ParseDiscovery(discovery->body, config_.issuer);
  if (!metadata)
    return metadata.error();
  last_keys_fetch_ = Now();
  auto keys = FetchKeys(metadata->jwks_uri);
  if (!keys)
    return keys.error();
  auto snapshot = std::make_shared<const Snapshot>(
      Snapshot{std::move(metadata).value(), std::move(keys).value(), Now()});
  std::lock_guard lock(mutex_);
  snapshot_ = snapshot;
  return snapshot;
}

std::shared_ptr<const RelyingParty::Snapshot> RelyingParty::RefetchKeys(
    const std::shared_ptr<const Snapshot>& seen) {
  std::lock_guard fetching(fetch_mutex_);
  {
    std::lock_guard lock(mutex_);
    // Another thread fetched while this one waited: try its keys first.
    if (snapshot_ != seen)
      return snapshot_;
  }
  const Clock::time_point now = Now();
  if (now - last_keys_fetch_ < config_.unknown_key_refetch_interval)
    return seen;
  last_keys_fetch_ = now;
  auto keys = FetchKeys(seen->metadata.jwks_uri);
  if (!keys) {
    spdlog::warn("OIDC JWKS re-fetch for an unknown key failed: {}", keys.error().message);
    return seen;
  }
  auto next = std::make_shared<const Snapshot>(
      Snapshot{seen->metadata, std::move(keys).value(), seen->fetched_at});
  std::lock_guard lock(mutex_);
  snapshot_ = next;
  return next;
}

Result<LoginRequest> RelyingParty::StartLogin() {
  auto snapshot = Current();
  if (!snapshot)
    return snapshot.error();
  LoginRequest login{"", RandomToken(), RandomToken(), RandomToken()};
  const std::string challenge = authn::Base64UrlEncode(authn::Sha256(login.code_verifier));
  const std::string& endpoint = snapshot.value()->metadata.authorization_endpoint;
  login.authorization_url = endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") +
                            "response_type=code&client_id=" + Encode(config_.client_id) +
                            "&redirect_uri=" + Encode(config_.redirect_uri) +
                            "&scope=" + Encode(config_.scopes) + "&state=" + login.state +
                            "&nonce=" + login.nonce + "&code_challenge=" + challenge +
                            "&code_challenge_method=S256";
  return login;
}

Result<std::string> RelyingParty::ExchangeCode(const ProviderMetadata& metadata,
                                               std::string_view code,
                                               std::string_view code_verifier) {
  const std::string form = "grant_type=authorization_code&code=" + Encode(code) +
                           "&redirect_uri=" + Encode(config_.redirect_uri) +
                           "&code_verifier=" + Encode(code_verifier);
  // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and encoded.
  const std::string authorization =
      "Basic " + Base64(Encode(config_.client_id) + ":" + Encode(config_.client_secret));
  const auto answer = http_->PostForm(metadata.token_endpoint, form, authorization);
  if (!answer)
    return answer.error();
  const nlohmann::json body = nlohmann::json::parse(answer->body, nullptr, false);
  const bool is_object = !body.is_discarded() && body.is_object();
  if (answer->status == 200 && is_object) {
    std::string id_token = StringMember(body, "id_token");
    if (id_token.empty()) {
      return MakeError(ErrorCode::kTokenEndpointError,
                       "OIDC token endpoint answered without an id_token");
    }
    return id_token;
  }
  if (answer->status >= 400 && answer->status < 500 && is_object && body.contains("error")) {
    Error error;
    error.code = ErrorCode::kTokenEndpointError;
    error.provider_error = ProviderText(body, "error", 64);
    error.message = "OIDC token endpoint refused the code: " + error.provider_error;
    if (const std::string description = ProviderText(body, "error_description", 200);
        !description.empty()) {
      error.message += " (" + description + ")";
    }
    return error;
  }
  return MakeError(ErrorCode::kProviderUnavailable,
                   "OIDC token endpoint answered HTTP " + std::to_string(answer->status));
}

Result<Identity> RelyingParty::CompleteLogin(std::string_view code, std::string_view nonce,
                                             std::string_view code_verifier) {
  if (code.empty())
    return MakeError(ErrorCode::kTokenEndpointError, "OIDC callback carries no code");
  auto snapshot = Current();
  if (!snapshot)
    return snapshot.error();
  const auto id_token = ExchangeCode(snapshot.value()->metadata, code, code_verifier);
  if (!id_token)
    return id_token.error();
  IdTokenExpectations expected{config_.issuer,     config_.client_id,  std::string(nonce),
                               config_.algorithms, config_.clock_skew, Now(),
                               config_.claims};
  auto identity = VerifyIdToken(*id_token, snapshot.value()->keys, expected);
  if (!identity && identity.error().code == ErrorCode::kUnknownKey) {
    // The provider may have rotated its keys since we fetched them.
    const auto next = RefetchKeys(snapshot.value());
    if (next != snapshot.value())
      identity = VerifyIdToken(*id_token, next->keys, expected);
  }
  return identity;
}

}  // namespace ss::oidc
