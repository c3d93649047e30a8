// The browser's sign-in cookie: set from a sign-in answer (a method's
// (streamspace.api.v1.session_cookie) option), cleared on sign-out, and read back only from
// WebSocket upgrades, which a browser cannot give an Authorization header, and by the methods
// with (streamspace.api.v1.cookie_credential), which hand the page its token after a redirect
// sign-in; both with an Origin check. Other REST calls never read it: a cookie the browser adds
// by itself to a cross-site form post would open CSRF.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "http_server.h"

namespace ss::gateway {

struct CookieSettings {
  std::string name = "streamspace_session";
  // Empty: a host-only cookie.
  std::string domain;
  std::string path = "/";
  // When the cookie is marked Secure. The gateway speaks plain HTTP, so "over TLS" means behind a
  // TLS proxy that says so with X-Forwarded-Proto: https (a client that sends it on plain HTTP
  // only keeps its own browser from sending the cookie back).
  enum class Secure { kAuto, kAlways, kNever } secure = Secure::kAuto;
};

// SESSION_COOKIE_NAME, _DOMAIN, _PATH and _SECURE.
std::vector<core::Variable> CookieVariables();
// Throws std::invalid_argument for a name, domain or path a Set-Cookie header cannot carry.
CookieSettings CookieSettingsFrom(const core::Config& config);

// The Set-Cookie value for `request`'s answer: the cookie holding `token` until `expires` (a
// session cookie without it), or, with an empty token, the cookie cleared.
std::string SetCookieValue(const CookieSettings& settings, const HttpRequest& request,
                           std::string_view token,
                           std::optional<std::chrono::system_clock::time_point> expires);

// The value of cookie `name` in the request's Cookie headers; empty when there is none.
std::string_view CookieValue(const HttpRequest& request, std::string_view name);

}  // namespace ss::gateway
