// Helpers of the single sign-on acceptance tests (issue 17): the independent providers of
// tests/sso run beside an AuthStack, and the browser's part of a redirect sign-in (forms, the
// sign-in cookie, the bearer token the page fetches with it).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth_stack.h"

namespace ss::test {

inline constexpr char kSpEntityId[] = "https://sp.test/saml/metadata";
inline constexpr char kSpAcsUrl[] = "https://sp.test/api/v1/auth/saml/acs";
inline constexpr char kSpSloUrl[] = "https://sp.test/api/v1/auth/saml/slo";
inline constexpr char kIdpSsoUrl[] = "https://idp.test/saml/sso";
inline constexpr char kIdpSloUrl[] = "https://idp.test/saml/slo";

// The SP's key pair and the IdP's metadata (tests/sso/saml_idp.py makes its keys on first use),
// made before auth starts; then the IdP itself, fed the SP's metadata from the gateway.
class SamlProviders {
 public:
  // by_url: auth fetches the IdP metadata from a local `python3 -m http.server` (stopped with
  // this object), else it reads the file. preset: SAML_PROVIDER, and the IdP's --provider.
  SamlProviders(bool by_url, std::string preset);
  ~SamlProviders();

  // The SAML_* variables of auth.
  Environment AuthEnv() const;
  // Fetches GET /api/v1/auth/saml/metadata (requiring 200), gives it to the IdP and starts it.
  void StartIdp(AuthStack& stack);

  // One command of saml_idp.py's batch mode ({"cmd": "response", ...}); its value. Throws when
  // the IdP answers an error or nothing within 30 s.
  nlohmann::json Idp(const nlohmann::json& command);
  // The base64 SAMLResponse of `user` with the preset's attribute names; `extra` adds options
  // (in_response_to, variant, groups, session_index...).
  std::string Response(const std::string& user, nlohmann::json extra = nlohmann::json::object());

 private:
  TempDir dir_;
  bool by_url_;
  std::string preset_;
  std::unique_ptr<Process> metadata_server_;
  int metadata_port_ = 0;
  // saml_idp.py batch: commands go through a FIFO, answers are its stdout's lines.
  std::unique_ptr<Process> idp_;
  int commands_fd_ = -1;
  std::size_t answered_ = 0;
};

// tests/sso/oidc_provider.py on a free loopback port, with its /control.
class OidcProvider {
 public:
  OidcProvider(const std::string& client_id, const std::string& client_secret);

  const std::string& issuer() const { return issuer_; }
  nlohmann::json Control(const nlohmann::json& command) const;
  // Follows an authorization URL as a browser would (the provider has no login page): the
  // Location of its 302 back to the redirect URI.
  std::string Authorize(const std::string& url) const;

 private:
  TempDir dir_{"sso-oidc-"};
  int port_;
  std::string issuer_;
  std::unique_ptr<Process> process_;
};

// The decoded parameters of a URL's query (or of a bare query).
std::map<std::string, std::string> QueryOf(const std::string& url);
// The part of a URL after '?'.
std::string QueryPart(const std::string& url);
// application/x-www-form-urlencoded (also a query string).
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// An HTML form posted as a browser does.
HttpResponse PostForm(AuthStack& stack, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& fields);
// GET with further headers.
HttpResponse GetWith(AuthStack& stack, const std::string& target, const Headers& headers);
// The sign-in cookie a response sets ("" when it sets none, or clears it).
std::string SignInCookieOf(const HttpResponse& response);
// True when the response clears the sign-in cookie.
bool ClearsSignInCookie(const HttpResponse& response);
// The gateway's own origin, which it allows with the cookie.
std::string OwnOrigin(const AuthStack& stack);
// POST /api/v1/auth/session with the cookie and, unless empty, an Origin.
HttpResponse SignInTokenCall(AuthStack& stack, const std::string& cookie,
                             const std::string& origin);
// The page's bearer token after a redirect sign-in: requires 200 and remembers the token.
std::string SignInToken(AuthStack& stack, const std::string& cookie);
// GET /api/v1/users/me with the token, requiring 200.
nlohmann::json Me(AuthStack& stack, const std::string& token);
// True when the token is refused with 401.
bool TokenRefused(AuthStack& stack, const std::string& token);
// GET /api/v1/users as admin: its total.
int UserCount(AuthStack& stack, const std::string& admin_token);
// The names of the groups a user belongs to directly, sorted.
std::vector<std::string> GroupsOf(AuthStack& stack, const std::string& admin_token,
                                  const std::string& user_id);

}  // namespace ss::test
