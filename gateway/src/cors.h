// Cross-origin requests: CORS_ALLOWED_ORIGINS is a comma-separated list of origins, or "*";
// empty means no CORS headers at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ss::gateway {

class CorsPolicy {
 public:
  explicit CorsPolicy(std::string_view allowed_origins);

  bool enabled() const { return any_origin_ || !origins_.empty(); }

  // The Access-Control-Allow-Origin value for a request from `origin` ("*" or the origin
  // itself); empty when the origin is not allowed or there is none.
  std::string_view AllowOrigin(std::string_view origin) const;

  // Whether a WebSocket upgrade from a page of `origin` (an Origin header, not empty) may be
  // accepted, where `host` is the request's Host: the gateway's own origin (http or https at that
  // host) or a listed one; any origin when the list is "*", except for an upgrade that the
  // browser's cookie authenticates (the cookie needs an origin named here or the gateway's own).
  bool AllowsUpgrade(std::string_view origin, std::string_view host, bool by_cookie) const;

  // Whether answers vary by Origin (a list of origins, not "*").
  bool varies_by_origin() const { return !any_origin_; }

  // The request headers a preflight may allow: those asked for, if each is a plain token list.
  static bool ValidHeaderList(std::string_view headers);

  static constexpr std::string_view kMaxAgeSeconds = "600";
  static constexpr std::string_view kDefaultAllowHeaders =
      "Authorization, Content-Type, X-Request-Id";
  static constexpr std::string_view kExposeHeaders = "X-Request-Id, Retry-After, WWW-Authenticate";

 private:
  bool Listed(std::string_view origin) const;

  bool any_origin_ = false;
  std::vector<std::string> origins_;
};

}  // namespace ss::gateway
