#include "session_cookie.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <stdexcept>

namespace ss::gateway {

namespace http = boost::beast::http;
using SystemClock = std::chrono::system_clock;

namespace {

// RFC 6265 cookie-name: an RFC 7230 token.
bool ValidName(std::string_view name) {
  constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 32 && u < 127 && kSeparators.find(c) == std::string_view::npos;
  });
}

// A Domain or Path attribute value: no control characters and no ';'.
bool ValidAttribute(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 32 && u < 127 && c != ';';
  });
}

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), independent of the locale.
std::string HttpDate(SystemClock::time_point time) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = SystemClock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return text;
}

bool OverTls(const CookieSettings& settings, const HttpRequest& request) {
  switch (settings.secure) {
    case CookieSettings::Secure::kAlways:
      return true;
    case CookieSettings::Secure::kNever:
      return false;
    case CookieSettings::Secure::kAuto:
      break;
  }
  const auto proto = ToStd(request["X-Forwarded-Proto"]);
  return proto.size() == 5 && std::equal(proto.begin(), proto.end(), "https", [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

std::vector<core::Variable> CookieVariables() {
  return {
      {"SESSION_COOKIE_NAME", "streamspace_session",
       "Name of the HttpOnly, SameSite=Strict cookie that sign-in sets for the browser; it "
       "authenticates WebSocket upgrades only, never REST calls."},
      {"SESSION_COOKIE_DOMAIN", "", "Domain attribute of the sign-in cookie; empty: host-only."},
      {"SESSION_COOKIE_PATH", "/", "Path attribute of the sign-in cookie."},
      {"SESSION_COOKIE_SECURE", "auto",
       "Mark the sign-in cookie Secure: auto (when the request came through a TLS proxy that "
       "sends X-Forwarded-Proto: https), always, or never."},
  };
}

CookieSettings CookieSettingsFrom(const core::Config& config) {
  CookieSettings settings;
  settings.name = config.Get("SESSION_COOKIE_NAME");
  settings.domain = config.Get("SESSION_COOKIE_DOMAIN");
  settings.path = config.Get("SESSION_COOKIE_PATH");
  if (!ValidName(settings.name))
    throw std::invalid_argument("SESSION_COOKIE_NAME is not a valid cookie name");
  if (!ValidAttribute(settings.domain))
    throw std::invalid_argument("SESSION_COOKIE_DOMAIN is not a valid cookie domain");
  if (settings.path.empty() || settings.path.front() != '/' || !ValidAttribute(settings.path))
    throw std::invalid_argument("SESSION_COOKIE_PATH must be a path starting with /");
  const auto secure = config.Get("SESSION_COOKIE_SECURE");
  if (secure == "always") {
    settings.secure = CookieSettings::Secure::kAlways;
  } else if (secure == "never") {
    settings.secure = CookieSettings::Secure::kNever;
  } else if (secure != "auto") {
    throw std::invalid_argument("SESSION_COOKIE_SECURE must be auto, always or never");
  }
  return settings;
}

std::string SetCookieValue(const CookieSettings& settings, const HttpRequest& request,
                           std::string_view token, std::optional<SystemClock::time_point> expires) {
  std::string value = settings.name + "=" + std::string(token) + "; Path=" + settings.path;
  if (!settings.domain.empty())
    value += "; Domain=" + settings.domain;
  if (token.empty())
    expires = SystemClock::time_point();
  if (expires) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(*expires - SystemClock::now()).count();
    value +=
        "; Expires=" + HttpDate(*expires) + "; Max-Age=" + std::to_string(std::max<long>(0, left));
  }
  value += "; HttpOnly; SameSite=Strict";
  if (OverTls(settings, request))
    value += "; Secure";
  return value;
}

std::string_view CookieValue(const HttpRequest& request, std::string_view name) {
  std::string_view value;
  ForEachHeaderItem(request, http::field::cookie, ';', [&](std::string_view pair) {
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name)
      return false;
    value = pair.substr(equals + 1);
    return true;
  });
  return value;
}

}  // namespace ss::gateway
