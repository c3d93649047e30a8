// Single sign-on: the SAML 2.0 service provider (libs/saml) and the OpenID Connect relying party
// (libs/oidc) behind auth's /api/v1/auth/saml/* and /api/v1/auth/oidc/* routes. Both end the same
// way: the provider's user and groups go through one mapping (FederationMapping) into
// SignIn::Federated, and the browser gets the sign-in cookie and a 303 to a local path (the
// gateway does both, as proto/ declares). The state that outlives a request (outstanding SAML
// requests, assertion IDs seen, OpenID logins in progress) is in Postgres (SessionStore), so any
// replica finishes what another began and a replay is refused everywhere.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/periodic.h"
#include "oidc/relying_party.h"
#include "rpc/call.h"
#include "saml/service_provider.h"
#include "session_store.h"
#include "sign_in.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "user_store.h"

namespace ss::auth {

// What a provider says about a user, before the mapping.
struct ProvidedUser {
  std::string provider;
  std::string issuer;
  std::string subject;
  std::string username;
  std::string email;
  std::string display_name;
  std::vector<std::string> groups;
};

// SSO_ROLE_MAP and SSO_GROUP_MAP: which provider groups give a role and which give membership
// of our groups, re-applied at every sign-in, so that a group removed at the provider demotes.
class FederationMapping {
 public:
  // "<provider group>=<role>,..." (role admin, operator or user; the highest one held wins) and
  // "<provider group>=<our group>,...". Throws core::ConfigError on a malformed entry.
  FederationMapping(std::string_view role_map, std::string_view group_map);

  // The account's fields for SignIn::Federated, or PERMISSION_DENIED when the provider gives no
  // username that can be one here (its username claim, else its email's local part).
  grpc::Status Map(const ProvidedUser& user, FederatedIdentity* identity) const;

 private:
  std::multimap<std::string, std::string, std::less<>> roles_;
  std::multimap<std::string, std::string, std::less<>> groups_;
  std::vector<std::string> managed_;
};

// SAML_*, OIDC_* and SSO_* variables.
std::vector<core::Variable> SingleSignOnVariables();

// A local path to send the browser to after a sign-in: "/" when empty, INVALID_ARGUMENT for
// anything that could leave the site (a scheme, "//host", a backslash, control characters).
grpc::Status CheckReturnPath(std::string_view path, std::string* checked);

class SingleSignOn {
 public:
  // SAML is on when SAML_ENTITY_ID is set, OpenID Connect when OIDC_ISSUER is. Throws
  // core::ConfigError or std::invalid_argument on a bad configuration (a start-up error). IdP
  // metadata from SAML_IDP_METADATA_URL is fetched now and then every
  // SAML_IDP_METADATA_REFRESH; a failed fetch keeps the metadata it has, or, before the first
  // one, leaves SAML answering UNAVAILABLE and tries again every 30 s.
  SingleSignOn(const core::Config& config, SignIn& sign_in, SessionStore& sessions);
  ~SingleSignOn();
  SingleSignOn(const SingleSignOn&) = delete;
  SingleSignOn& operator=(const SingleSignOn&) = delete;

  grpc::Status SamlMetadata(streamspace::auth::v1::SamlMetadata* response) const;
  grpc::Status StartSamlLogin(const streamspace::auth::v1::StartSsoLoginRequest& request,
                              streamspace::auth::v1::SsoRedirect* response);
  grpc::Status ConsumeSamlResponse(const streamspace::auth::v1::SamlPostRequest& request,
                                   streamspace::auth::v1::SsoSignIn* response);
  // A message at the SLO URL: `query` of the HTTP-Redirect binding, or the POST form's fields.
  grpc::Status SamlLogoutRedirect(std::string_view query,
                                  streamspace::auth::v1::SsoRedirect* response);
  grpc::Status SamlLogoutPost(const streamspace::auth::v1::SamlPostRequest& request,
                              streamspace::auth::v1::SsoRedirect* response);
  // Ends the caller's sign-in (as Logout) and answers the IdP's logout URL when it came from SAML.
  grpc::Status StartSamlLogout(const rpc::Principal& caller,
                               streamspace::auth::v1::SsoRedirect* response);

  grpc::Status StartOidcLogin(const streamspace::auth::v1::StartSsoLoginRequest& request,
                              streamspace::auth::v1::SsoRedirect* response);
  grpc::Status CompleteOidcLogin(const streamspace::auth::v1::OidcCallbackRequest& request,
                                 streamspace::auth::v1::SsoSignIn* response);

 private:
  // The current service provider, or null when SAML is off.
  std::shared_ptr<const saml::ServiceProvider> Saml() const;
  // Builds a service provider from the IdP metadata at SAML_IDP_METADATA_URL (or the file);
  // throws when it cannot.
  std::shared_ptr<const saml::ServiceProvider> LoadSaml() const;
  void RefreshSaml();
  grpc::Status SamlLogout(std::string_view message, saml::Binding binding, bool is_request,
                          std::string_view relay_state,
                          streamspace::auth::v1::SsoRedirect* response);
  grpc::Status Finish(const ProvidedUser& user, const std::optional<SamlSignIn>& saml,
                      const std::string& return_to, streamspace::auth::v1::SsoSignIn* response);

  SignIn& sign_in_;
  SessionStore& sessions_;
  const FederationMapping mapping_;

  saml::ServiceProviderConfig saml_config_;
  std::string saml_metadata_url_;
  std::string saml_metadata_file_;
  oidc::HttpTransportPtr http_;
  bool saml_enabled_ = false;
  std::chrono::milliseconds saml_refresh_{0};
  // Guards saml_ and saml_loaded_at_ (the service provider is swapped, never changed).
  mutable std::mutex saml_mutex_;
  std::shared_ptr<const saml::ServiceProvider> saml_;
  std::chrono::steady_clock::time_point saml_loaded_at_{};
  std::unique_ptr<core::Periodic> saml_refresher_;

  std::unique_ptr<oidc::RelyingParty> oidc_;
};

}  // namespace ss::auth
