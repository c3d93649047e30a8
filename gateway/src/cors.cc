#include "cors.h"

#include <algorithm>
#include <cctype>

namespace ss::gateway {

CorsPolicy::CorsPolicy(std::string_view allowed_origins) {
  while (!allowed_origins.empty()) {
    const auto comma = allowed_origins.find(',');
    auto origin = allowed_origins.substr(0, comma);
    allowed_origins =
        comma == std::string_view::npos ? std::string_view() : allowed_origins.substr(comma + 1);
    while (!origin.empty() && origin.front() == ' ')
      origin.remove_prefix(1);
    while (!origin.empty() && (origin.back() == ' ' || origin.back() == '/')) {
      origin.remove_suffix(1);
    }
    if (origin == "*") {
      any_origin_ = true;
    } else if (!origin.empty()) {
      origins_.emplace_back(origin);
    }
  }
}

namespace {

bool SameText(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view CorsPolicy::AllowOrigin(std::string_view origin) const {
  if (origin.empty())
    return {};
  if (any_origin_)
    return "*";
  return Listed(origin) ? origin : std::string_view();
}

bool CorsPolicy::Listed(std::string_view origin) const {
  return std::any_of(origins_.begin(), origins_.end(),
                     [&](const std::string& o) { return SameText(o, origin); });
}

bool CorsPolicy::AllowsUpgrade(std::string_view origin, std::string_view host,
                               bool by_cookie) const {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!host.empty() && origin.size() == scheme.size() + host.size() &&
        SameText(origin.substr(0, scheme.size()), scheme) &&
        SameText(origin.substr(scheme.size()), host)) {
      return true;
    }
  }
  return Listed(origin) || (any_origin_ && !by_cookie);
}

bool CorsPolicy::ValidHeaderList(std::string_view headers) {
  if (headers.empty() || headers.size() > 1024)
    return false;
  return std::all_of(headers.begin(), headers.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ',' ||
           c == ' ';
  });
}

}  // namespace ss::gateway
