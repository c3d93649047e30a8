#include "oidc/config.h"

#include <arpa/inet.h>

#include <algorithm>

#include "core/text.h"

namespace ss::oidc {
namespace {

struct UrlParts {
  std::string scheme;
  std::string host;
};

// Scheme and host of an absolute http(s) URL; nullopt for anything else. A URL with userinfo is
// refused: "https://trusted@evil" reads as one host and goes to another.
std::optional<UrlParts> SplitUrl(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos)
    return std::nullopt;
  UrlParts parts{core::AsciiLower(url.substr(0, colon)), {}};
  if (parts.scheme != "https" && parts.scheme != "http")
    return std::nullopt;
  std::string_view authority = url.substr(colon + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return std::nullopt;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    parts.host = std::string(authority.substr(1, close - 1));
  } else {
    parts.host = std::string(authority.substr(0, authority.find(':')));
  }
  if (parts.host.empty())
    return std::nullopt;
  parts.host = core::AsciiLower(parts.host);
  return parts;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost")
    return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool HasScope(std::string_view scopes, std::string_view wanted) {
  std::size_t start = 0;
  while (start <= scopes.size()) {
    const std::size_t end = std::min(scopes.find(' ', start), scopes.size());
    if (scopes.substr(start, end - start) == wanted)
      return true;
    start = end + 1;
  }
  return false;
}

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidConfig, std::move(message));
}

}  // namespace

const std::vector<std::string>& SupportedAlgorithms() {
  static const std::vector<std::string> algorithms = {"RS256", "RS384", "RS512", "ES256", "ES384"};
  return algorithms;
}

bool IsLoopbackUrl(std::string_view url) {
  const auto parts = SplitUrl(url);
  return parts && IsLoopbackHost(parts->host);
}

bool IsAllowedUrl(std::string_view url) {
  const auto parts = SplitUrl(url);
  return parts && (parts->scheme == "https" || IsLoopbackHost(parts->host));
}

std::optional<Error> CheckConfig(const Config& config) {
  if (!IsAllowedUrl(config.issuer))
    return Invalid("OIDC issuer must be an https URL (http only on a loopback host)");
  if (config.client_id.empty())
    return Invalid("OIDC client id is empty");
  if (config.client_secret.empty())
    return Invalid("OIDC client secret is empty");
  if (!SplitUrl(config.redirect_uri))
    return Invalid("OIDC redirect URI must be an absolute http(s) URL");
  if (!HasScope(config.scopes, "openid"))
    return Invalid("OIDC scopes must include openid");
  if (config.algorithms.empty())
    return Invalid("OIDC allows no ID-token algorithm");
  for (const std::string& algorithm : config.algorithms) {
    const auto& supported = SupportedAlgorithms();
    if (std::find(supported.begin(), supported.end(), algorithm) == supported.end())
      return Invalid("OIDC ID-token algorithm not supported: " + algorithm);
  }
  if (config.clock_skew < std::chrono::seconds(0) || config.clock_skew > std::chrono::minutes(5))
    return Invalid("OIDC clock skew must be between 0 and 5 minutes");
  if (config.http_timeout <= std::chrono::milliseconds(0))
    return Invalid("OIDC HTTP timeout must be positive");
  return std::nullopt;
}

}  // namespace ss::oidc
