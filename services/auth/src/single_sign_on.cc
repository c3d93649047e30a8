#include "single_sign_on.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/text.h"
#include "rpc/validation.h"
#include "validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;
using Clock = std::chrono::system_clock;

// An AuthnRequest or LogoutRequest is answered within this, or not at all.
constexpr std::chrono::minutes kSamlRequestLifetime{10};
// An OpenID login must come back within this.
constexpr std::chrono::minutes kOidcLoginLifetime{10};
// SAML bindings §3.4.3: a RelayState of at most 80 bytes.
constexpr std::size_t kMaxSamlReturnPath = 80;
constexpr std::size_t kMaxReturnPath = 512;
// Far above any real message; the library refuses what it cannot parse.
constexpr std::size_t kMaxSamlMessage = 256 * 1024;
constexpr std::size_t kMaxOidcParameter = 4096;
// Where the browser goes after a single logout.
constexpr const char* kSignedOutPath = "/login";
// How soon IdP metadata that could not be fetched is tried again.
constexpr std::chrono::seconds kSamlRetryInterval{30};

int64_t Ms(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

int RoleRank(std::string_view role) {
  return role == "admin" ? 3 : role == "operator" ? 2 : role == "user" ? 1 : 0;
}

// "<key>=<value>,..." into pairs; throws core::ConfigError naming `variable`.
// The non-empty entries of a comma-separated list, spaces around them dropped.
std::vector<std::string_view> ListEntries(std::string_view text) {
  std::vector<std::string_view> entries;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string_view entry = text.substr(start, comma - start);
    start = comma + 1;
    entry.remove_prefix(std::min(entry.find_first_not_of(' '), entry.size()));
    entry.remove_suffix(entry.size() - std::min(entry.find_last_not_of(' ') + 1, entry.size()));
    if (!entry.empty())
      entries.push_back(entry);
  }
  return entries;
}

std::vector<std::pair<std::string, std::string>> ParsePairs(std::string_view text,
                                                            std::string_view variable) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string_view entry : ListEntries(text)) {
    const std::size_t equals = entry.rfind('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == entry.size()) {
      throw core::ConfigError(
          fmt::format("{}: entry '{}' is not <provider group>=<value>", variable, entry));
    }
    pairs.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
  }
  return pairs;
}

grpc::Status NotConfigured(std::string_view protocol) {
  return rpc::NotFound(fmt::format("single sign-on with {} is not configured", protocol));
}

grpc::Status SamlUnavailable(bool enabled) {
  if (!enabled)
    return NotConfigured("SAML");
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the SAML identity provider's metadata is not loaded yet");
}

grpc::Status Refused(std::string message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message));
}

// The local part of an email, for providers that name users by email.
std::string_view LocalPart(std::string_view email) {
  return email.substr(0, email.find('@'));
}

// The query parameter names of an HTTP-Redirect message: is it a SAMLRequest?
bool HasParameter(std::string_view query, std::string_view name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, amp - start);
    if (pair.substr(0, pair.find('=')) == name)
      return true;
    start = amp + 1;
  }
  return false;
}

saml::AttributeMapping SamlMappingFrom(const core::Config& config) {
  saml::AttributeMappingOverrides overrides;
  const auto set = [&](const char* variable, std::optional<std::string>* field) {
    if (!config.Get(variable).empty())
      *field = config.Get(variable);
  };
  set("SAML_ATTRIBUTE_USERNAME", &overrides.username);
  set("SAML_ATTRIBUTE_EMAIL", &overrides.email);
  set("SAML_ATTRIBUTE_DISPLAY_NAME", &overrides.display_name);
  set("SAML_ATTRIBUTE_GIVEN_NAME", &overrides.given_name);
  set("SAML_ATTRIBUTE_FAMILY_NAME", &overrides.family_name);
  set("SAML_ATTRIBUTE_GROUPS", &overrides.groups);
  try {
    return saml::ApplyOverrides(saml::PresetMapping(config.Get("SAML_PROVIDER")), overrides);
  } catch (const std::invalid_argument&) {
    throw core::ConfigError(
        fmt::format("SAML_PROVIDER must be one of {}", fmt::join(saml::PresetNames(), ", ")));
  }
}

std::string RequiredFile(const core::Config& config, const char* variable) {
  const std::string& path = config.Get(variable);
  if (path.empty())
    throw core::ConfigError(fmt::format("{} is required when SAML_ENTITY_ID is set", variable));
  auto text = core::ReadFile(path);
  if (!text)
    throw core::ConfigError(fmt::format("{}: cannot read {}", variable, path));
  return std::move(*text);
}

oidc::Config OidcConfigFrom(const core::Config& config) {
  oidc::Config oidc;
  oidc.issuer = config.Get("OIDC_ISSUER");
  oidc.client_id = config.Get("OIDC_CLIENT_ID");
  oidc.client_secret = config.Get("OIDC_CLIENT_SECRET");
  oidc.redirect_uri = config.Get("OIDC_REDIRECT_URL");
  oidc.scopes = config.Get("OIDC_SCOPES");
  oidc.algorithms.clear();
  for (const std::string_view algorithm : ListEntries(config.Get("OIDC_ALGORITHMS")))
    oidc.algorithms.emplace_back(algorithm);
  oidc.claims.username = config.Get("OIDC_CLAIM_USERNAME");
  oidc.claims.email = config.Get("OIDC_CLAIM_EMAIL");
  oidc.claims.display_name = config.Get("OIDC_CLAIM_NAME");
  oidc.claims.groups = config.Get("OIDC_CLAIM_GROUPS");
  oidc.unknown_key_refetch_interval = config.GetDuration("OIDC_JWKS_REFETCH_INTERVAL");
  return oidc;
}

}  // namespace

FederationMapping::FederationMapping(std::string_view role_map, std::string_view group_map) {
  for (auto& [group, role] : ParsePairs(role_map, "SSO_ROLE_MAP")) {
    if (RoleRank(role) == 0)
      throw core::ConfigError("SSO_ROLE_MAP: role must be admin, operator or user, not " + role);
    roles_.emplace(std::move(group), std::move(role));
  }
  for (auto& [group, ours] : ParsePairs(group_map, "SSO_GROUP_MAP")) {
    if (std::find(managed_.begin(), managed_.end(), ours) == managed_.end())
      managed_.push_back(ours);
    groups_.emplace(std::move(group), std::move(ours));
  }
}

grpc::Status FederationMapping::Map(const ProvidedUser& user, FederatedIdentity* identity) const {
  std::optional<std::string> username = rpc::NormalizeUsername(user.username);
  if (!username)
    username = rpc::NormalizeUsername(LocalPart(user.username));
  if (!username && !user.email.empty())
    username = rpc::NormalizeUsername(LocalPart(user.email));
  if (!username) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "the identity provider gave no username usable here (1-32 of a-z, 0-9, "
                        "'.', '_', '-'); set the username attribute or claim");
  }
  identity->provider = user.provider;
  identity->issuer = user.issuer;
  identity->subject = user.subject;
  identity->username = std::move(*username);
  identity->email = CheckEmail(user.email).ok() ? user.email : std::string();
  identity->full_name = CheckFullName(user.display_name).ok() ? user.display_name : std::string();
  identity->role.reset();
  identity->groups.clear();
  identity->managed_groups = managed_;
  if (!roles_.empty())
    identity->role = "user";
  for (const std::string& group : user.groups) {
    const auto [role_begin, role_end] = roles_.equal_range(group);
    for (auto it = role_begin; it != role_end; ++it) {
      if (RoleRank(it->second) > RoleRank(*identity->role))
        identity->role = it->second;
    }
    const auto [begin, end] = groups_.equal_range(group);
    for (auto it = begin; it != end; ++it) {
      if (std::find(identity->groups.begin(), identity->groups.end(), it->second) ==
          identity->groups.end()) {
        identity->groups.push_back(it->second);
      }
    }
  }
  return grpc::Status::OK;
}

std::vector<core::Variable> SingleSignOnVariables() {
  return {
      {"SAML_ENTITY_ID", "", "The SAML service provider's entity ID; empty turns SAML off."},
      {"SAML_ACS_URL", "",
       "The assertion consumer URL the IdP posts to (https://<host>/api/v1/auth/saml/acs)."},
      {"SAML_SLO_URL", "", "The single logout URL (https://<host>/api/v1/auth/saml/slo)."},
      {"SAML_IDP_METADATA_URL", "",
       "The IdP's metadata, fetched over HTTPS at start and every SAML_IDP_METADATA_REFRESH."},
      {"SAML_IDP_METADATA_FILE", "", "The IdP's metadata from a file, instead of the URL."},
      {"SAML_IDP_METADATA_REFRESH", "1h", "How often the IdP metadata URL is fetched again."},
      {"SAML_SP_KEY_FILE", "", "PEM file of the service provider's RSA key (signs its messages)."},
      {"SAML_SP_CERT_FILE", "", "PEM file of the service provider's certificate."},
      {"SAML_PROVIDER", "generic",
       "Attribute preset: okta, azuread, google, auth0, keycloak, authentik or generic."},
      {"SAML_ATTRIBUTE_USERNAME", "", "Overrides the preset's username attribute."},
      {"SAML_ATTRIBUTE_EMAIL", "", "Overrides the preset's email attribute."},
      {"SAML_ATTRIBUTE_DISPLAY_NAME", "", "Overrides the preset's display name attribute."},
      {"SAML_ATTRIBUTE_GIVEN_NAME", "", "Overrides the preset's given name attribute."},
      {"SAML_ATTRIBUTE_FAMILY_NAME", "", "Overrides the preset's family name attribute."},
      {"SAML_ATTRIBUTE_GROUPS", "", "Overrides the preset's groups attribute."},
      {"SAML_ALLOW_IDP_INITIATED", "true", "Accept sign-ins that the IdP started."},
      {"SAML_CLOCK_SKEW", "60s", "Allowed clock difference with the IdP."},
      {"OIDC_ISSUER", "", "The OpenID provider's issuer URL; empty turns OpenID Connect off."},
      {"OIDC_CLIENT_ID", "", "The client ID registered at the provider."},
      {"OIDC_CLIENT_SECRET", "", "The client secret (client_secret_basic).", true},
      {"OIDC_REDIRECT_URL", "",
       "The callback registered at the provider (https://<host>/api/v1/auth/oidc/callback)."},
      {"OIDC_SCOPES", "openid email profile", "Scopes asked for; must include openid."},
      {"OIDC_ALGORITHMS", "RS256,ES256", "ID-token signature algorithms accepted."},
      {"OIDC_JWKS_REFETCH_INTERVAL", "10s",
       "An ID token signed by an unknown key fetches the provider's keys again at most this "
       "often."},
      {"OIDC_CLAIM_USERNAME", "preferred_username", "The ID-token claim of the username."},
      {"OIDC_CLAIM_EMAIL", "email", "The ID-token claim of the email."},
      {"OIDC_CLAIM_NAME", "name", "The ID-token claim of the display name."},
      {"OIDC_CLAIM_GROUPS", "groups", "The ID-token claim of the groups."},
      {"SSO_ROLE_MAP", "",
       "<provider group>=<admin|operator|user>,...: the role of SSO users, set at every sign-in "
       "(the highest mapped role, else user). Empty: roles are left to admins."},
      {"SSO_GROUP_MAP", "",
       "<provider group>=<our group>,...: memberships of the mapped groups, set at every "
       "sign-in."},
  };
}

grpc::Status CheckReturnPath(std::string_view path, std::string* checked) {
  if (path.empty()) {
    *checked = "/";
    return grpc::Status::OK;
  }
  const bool control = std::any_of(path.begin(), path.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (path.size() > kMaxReturnPath || path[0] != '/' || path.substr(0, 2) == "//" ||
      path.find('\\') != std::string_view::npos || control) {
    return rpc::Invalid("returnTo must be a local path such as /sessions");
  }
  *checked = path;
  return grpc::Status::OK;
}

SingleSignOn::SingleSignOn(const core::Config& config, SignIn& sign_in, SessionStore& sessions)
    : sign_in_(sign_in),
      sessions_(sessions),
      mapping_(config.Get("SSO_ROLE_MAP"), config.Get("SSO_GROUP_MAP")),
      http_(oidc::MakeHttpTransport(std::chrono::seconds(10))) {
  if (!config.Get("SAML_ENTITY_ID").empty()) {
    saml_config_.entity_id = config.Get("SAML_ENTITY_ID");
    saml_config_.acs_url = config.Get("SAML_ACS_URL");
    saml_config_.slo_url = config.Get("SAML_SLO_URL");
    saml_config_.private_key_pem = RequiredFile(config, "SAML_SP_KEY_FILE");
    saml_config_.certificate_pem = RequiredFile(config, "SAML_SP_CERT_FILE");
    saml_config_.clock_skew =
        std::chrono::duration_cast<std::chrono::seconds>(config.GetDuration("SAML_CLOCK_SKEW"));
    saml_config_.allow_idp_initiated = config.GetBool("SAML_ALLOW_IDP_INITIATED");
    saml_config_.mapping = SamlMappingFrom(config);
    saml_metadata_url_ = config.Get("SAML_IDP_METADATA_URL");
    saml_metadata_file_ = config.Get("SAML_IDP_METADATA_FILE");
    if (saml_metadata_url_.empty() == saml_metadata_file_.empty()) {
      throw core::ConfigError(
          "SAML needs exactly one of SAML_IDP_METADATA_URL and SAML_IDP_METADATA_FILE");
    }
    if (!saml_metadata_url_.empty() && !oidc::IsAllowedUrl(saml_metadata_url_))
      throw core::ConfigError("SAML_IDP_METADATA_URL must be https (or http on loopback)");
    saml_enabled_ = true;
    if (saml_metadata_url_.empty()) {
      saml_ = LoadSaml();
    } else {
      // The IdP may be down when auth starts: password sign-in works meanwhile, SAML answers 503,
      // and the metadata is tried again every kSamlRetryInterval until it loads.
      saml_refresh_ = config.GetDuration("SAML_IDP_METADATA_REFRESH");
      RefreshSaml();
      saml_refresher_ = std::make_unique<core::Periodic>(
          std::min<std::chrono::milliseconds>(saml_refresh_, kSamlRetryInterval),
          [this] { RefreshSaml(); });
      saml_refresher_->Start();
    }
    spdlog::info("SAML sign-in on: SP {}", saml_config_.entity_id);
  }
  if (!config.Get("OIDC_ISSUER").empty()) {
    oidc::Config oidc = OidcConfigFrom(config);
    if (const auto error = oidc::CheckConfig(oidc))
      throw core::ConfigError(error->message);
    oidc_ = std::make_unique<oidc::RelyingParty>(std::move(oidc), http_);
    spdlog::info("OpenID Connect sign-in on: issuer {}", config.Get("OIDC_ISSUER"));
  }
}

SingleSignOn::~SingleSignOn() {
  if (saml_refresher_)
    saml_refresher_->Stop();
}

std::shared_ptr<const saml::ServiceProvider> SingleSignOn::Saml() const {
  const std::lock_guard lock(saml_mutex_);
  return saml_;
}

std::shared_ptr<const saml::ServiceProvider> SingleSignOn::LoadSaml() const {
  saml::ServiceProviderConfig config = saml_config_;
  if (!saml_metadata_file_.empty()) {
    auto text = core::ReadFile(saml_metadata_file_);
    if (!text)
      throw core::ConfigError("SAML_IDP_METADATA_FILE: cannot read " + saml_metadata_file_);
    config.idp_metadata_xml = std::move(*text);
  } else {
    auto answer = http_->Get(saml_metadata_url_);
    if (!answer)
      throw std::runtime_error("SAML IdP metadata: " + answer.error().message);
    if (answer->status != 200) {
      throw std::runtime_error(
          fmt::format("SAML IdP metadata: {} answered {}", saml_metadata_url_, answer->status));
    }
    config.idp_metadata_xml = std::move(answer->body);
  }
  return std::make_shared<const saml::ServiceProvider>(std::move(config));
}

void SingleSignOn::RefreshSaml() {
  const auto now = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(saml_mutex_);
    if (saml_ && now - saml_loaded_at_ < saml_refresh_)
      return;
  }
  try {
    auto fresh = LoadSaml();
    spdlog::info("SAML IdP metadata loaded: IdP {}", fresh->idp_entity_id());
    const std::lock_guard lock(saml_mutex_);
    saml_ = std::move(fresh);
    saml_loaded_at_ = now;
  } catch (const std::exception& error) {
    spdlog::warn("SAML IdP metadata not loaded ({}); {}", error.what(),
                 Saml() ? "the previous one stays" : "SAML sign-in answers 503 until it loads");
  }
}

grpc::Status SingleSignOn::SamlMetadata(pb::SamlMetadata* response) const {
  const auto sp = Saml();
  if (!sp)
    return SamlUnavailable(saml_enabled_);
  response->set_xml(sp->Metadata(true));
  return grpc::Status::OK;
}

grpc::Status SingleSignOn::StartSamlLogin(const pb::StartSsoLoginRequest& request,
                                          pb::SsoRedirect* response) {
  const auto sp = Saml();
  if (!sp)
    return SamlUnavailable(saml_enabled_);
  std::string return_to;
  if (grpc::Status status = CheckReturnPath(request.return_to(), &return_to); !status.ok())
    return status;
  // The RelayState carries the return path to the IdP and back; it is checked again at the ACS.
  if (return_to.size() > kMaxSamlReturnPath)
    return rpc::Invalid("returnTo is longer than SAML's 80-byte RelayState");
  const saml::Redirect redirect = sp->StartLogin(return_to);
  sessions_.AddSamlRequest(redirect.request_id, Ms(Clock::now() + kSamlRequestLifetime));
  response->set_redirect_url(redirect.url);
  return grpc::Status::OK;
}

grpc::Status SingleSignOn::ConsumeSamlResponse(const pb::SamlPostRequest& request,
                                               pb::SsoSignIn* response) {
  const auto sp = Saml();
  if (!sp)
    return SamlUnavailable(saml_enabled_);
  if (request.saml_response().empty())
    return rpc::Invalid("SAMLResponse is required");
  if (request.saml_response().size() > kMaxSamlMessage)
    return rpc::Invalid("SAMLResponse is too large");
  // An IdP-initiated sign-in's RelayState is the IdP's to choose: anything but a local path
  // lands on "/".
  std::string return_to;
  if (!CheckReturnPath(request.relay_state(), &return_to).ok())
    return_to = "/";
  const saml::LoginResult result = sp->ConsumeResponse(
      request.saml_response(),
      [this](std::string_view id) { return sessions_.ConsumeSamlRequest(std::string(id)); },
      [this](std::string_view id, saml::TimePoint keep_until) {
        return sessions_.RecordSamlAssertion(std::string(id), Ms(keep_until));
      },
      Clock::now());
  if (!result.ok()) {
    spdlog::warn("SAML response refused ({}): {}", saml::RefusalName(result.refusal),
                 result.detail);
    return Refused(fmt::format("SAML response refused: {}", saml::RefusalName(result.refusal)));
  }
  const saml::LoginAssertion& assertion = result.assertion;
  const ProvidedUser user{"saml",
                          assertion.issuer,
                          assertion.name_id,
                          assertion.user.username,
                          assertion.user.email,
                          assertion.user.display_name,
                          assertion.user.groups};
  return Finish(user,
                SamlSignIn{assertion.issuer, assertion.name_id, assertion.name_id_format,
                           assertion.session_index},
                return_to, response);
}

grpc::Status SingleSignOn::SamlLogoutRedirect(std::string_view query, pb::SsoRedirect* response) {
  const bool is_request = HasParameter(query, "SAMLRequest");
  if (!is_request && !HasParameter(query, "SAMLResponse"))
    return rpc::Invalid("SAMLRequest or SAMLResponse is required");
  if (query.size() > kMaxSamlMessage)
    return rpc::Invalid("the SAML message is too large");
  return SamlLogout(query, saml::Binding::kRedirect, is_request, {}, response);
}

grpc::Status SingleSignOn::SamlLogoutPost(const pb::SamlPostRequest& request,
                                          pb::SsoRedirect* response) {
  const bool is_request = !request.saml_request().empty();
  if (is_request == !request.saml_response().empty())
    return rpc::Invalid("exactly one of SAMLRequest and SAMLResponse is required");
  const std::string& message = is_request ? request.saml_request() : request.saml_response();
  if (message.size() > kMaxSamlMessage)
    return rpc::Invalid("the SAML message is too large");
  return SamlLogout(message, saml::Binding::kPost, is_request, request.relay_state(), response);
}

grpc::Status SingleSignOn::SamlLogout(std::string_view message, saml::Binding binding,
                                      bool is_request, std::string_view relay_state,
                                      pb::SsoRedirect* response) {
  const auto sp = Saml();
  if (!sp)
    return SamlUnavailable(saml_enabled_);
  if (!is_request) {
    const saml::LogoutResponseResult result = sp->FinishLogout(
        message, binding,
        [this](std::string_view id) { return sessions_.ConsumeSamlRequest(std::string(id)); });
    if (!result.ok()) {
      spdlog::warn("SAML logout response refused ({}): {}", saml::RefusalName(result.refusal),
                   result.detail);
      return Refused(
          fmt::format("SAML logout response refused: {}", saml::RefusalName(result.refusal)));
    }
    response->set_redirect_url(kSignedOutPath);
    return grpc::Status::OK;
  }
  const saml::IdpLogoutResult result =
      sp->HandleLogoutRequest(message, binding, relay_state, Clock::now());
  if (!result.ok()) {
    spdlog::warn("SAML logout request refused ({}): {}", saml::RefusalName(result.refusal),
                 result.detail);
    return Refused(
        fmt::format("SAML logout request refused: {}", saml::RefusalName(result.refusal)));
  }
  const int ended =
      sessions_.EndSamlSessions(sp->idp_entity_id(), result.name_id, result.session_indexes,
                                sign_in_.RevocationExpiresAtMs());
  spdlog::info("SAML logout from the IdP ended {} sign-in(s)", ended);
  response->set_redirect_url(result.response_url);
  return grpc::Status::OK;
}

grpc::Status SingleSignOn::StartSamlLogout(const rpc::Principal& caller,
                                           pb::SsoRedirect* response) {
  const auto sp = Saml();
  const std::optional<SamlSession> session = sp && rpc::IsUuid(caller.session_id)
                                                 ? sessions_.SamlSessionOf(caller.session_id)
                                                 : std::nullopt;
  if (grpc::Status status = sign_in_.Logout(caller); !status.ok())
    return status;
  if (!session)
    return grpc::Status::OK;
  const saml::Redirect redirect = sp->StartLogout(
      saml::SessionRef{session->name_id, session->name_id_format, session->session_index},
      kSignedOutPath);
  sessions_.AddSamlRequest(redirect.request_id, Ms(Clock::now() + kSamlRequestLifetime));
  response->set_redirect_url(redirect.url);
  return grpc::Status::OK;
}

grpc::Status SingleSignOn::StartOidcLogin(const pb::StartSsoLoginRequest& request,
                                          pb::SsoRedirect* response) {
  if (!oidc_)
    return NotConfigured("OpenID Connect");
  std::string return_to;
  if (grpc::Status status = CheckReturnPath(request.return_to(), &return_to); !status.ok())
    return status;
  auto login = oidc_->StartLogin();
  if (!login) {
    spdlog::warn("OpenID sign-in cannot start: {}", login.error().message);
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the OpenID provider cannot be reached");
  }
  sessions_.AddOidcLogin(OidcLogin{login->state, login->nonce, login->code_verifier, return_to},
                         Ms(Clock::now() + kOidcLoginLifetime));
  response->set_redirect_url(login->authorization_url);
  return grpc::Status::OK;
}

grpc::Status SingleSignOn::CompleteOidcLogin(const pb::OidcCallbackRequest& request,
                                             pb::SsoSignIn* response) {
  if (!oidc_)
    return NotConfigured("OpenID Connect");
  for (const std::string* parameter :
       {&request.code(), &request.state(), &request.error(), &request.error_description(),
        &request.iss(), &request.session_state()}) {
    if (parameter->size() > kMaxOidcParameter)
      return rpc::Invalid("a callback parameter is too long");
  }
  if (request.state().empty())
    return rpc::Invalid("state is required");
  // Used once whatever happens next: a second try must start again.
  const std::optional<OidcLogin> login = sessions_.TakeOidcLogin(request.state());
  if (!login || !oidc::RelyingParty::StateMatches(login->state, request.state()))
    return Refused("unknown or expired sign-in state; sign in again");
  if (!request.error().empty()) {
    spdlog::warn("the OpenID provider refused a sign-in: {}", request.error());
    return Refused("the OpenID provider refused the sign-in: " + request.error());
  }
  if (request.code().empty())
    return rpc::Invalid("code is required");
  if (!request.iss().empty() && request.iss() != oidc_->config().issuer)
    return Refused("the callback names another issuer");
  auto identity = oidc_->CompleteLogin(request.code(), login->nonce, login->code_verifier);
  if (!identity) {
    const oidc::Error& error = identity.error();
    spdlog::warn("OpenID sign-in refused ({}): {}", oidc::Name(error.code), error.message);
    if (error.code == oidc::ErrorCode::kProviderUnavailable)
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the OpenID provider cannot be reached");
    return Refused(fmt::format("OpenID sign-in refused: {}", oidc::Name(error.code)));
  }
  const ProvidedUser user{
      "oidc",          identity->issuer,       identity->subject, identity->username,
      identity->email, identity->display_name, identity->groups};
  return Finish(user, std::nullopt, login->return_to, response);
}

grpc::Status SingleSignOn::Finish(const ProvidedUser& user, const std::optional<SamlSignIn>& saml,
                                  const std::string& return_to, pb::SsoSignIn* response) {
  FederatedIdentity identity;
  if (grpc::Status status = mapping_.Map(user, &identity); !status.ok())
    return status;
  pb::LoginResponse login;
  if (grpc::Status status = sign_in_.Federated(identity, saml, &login); !status.ok())
    return status;
  response->set_location(return_to);
  response->set_token(login.token());
  response->set_expires_at(login.expires_at());
  return grpc::Status::OK;
}

}  // namespace ss::auth
