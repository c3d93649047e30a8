#include "claims_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "authn/encoding.h"

namespace ss::authn::detail {
namespace {

using nlohmann::json;

std::optional<json> DecodeObject(std::string_view encoded) {
  std::string bytes;
  if (!Base64UrlDecode(encoded, &bytes))
    return std::nullopt;
  json value = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object())
    return std::nullopt;
  return value;
}

bool ReadString(const json& object, const char* name, std::string* out, bool required) {
  const auto it = object.find(name);
  if (it == object.end())
    return !required;
  if (!it->is_string())
    return false;
  *out = it->get<std::string>();
  return true;
}

// NumericDate (seconds, maybe fractional) to milliseconds, within a sane range.
bool ReadTime(const json& object, const char* name, int64_t* out_ms, bool required) {
  const auto it = object.find(name);
  if (it == object.end())
    return !required;
  if (!it->is_number())
    return false;
  const double seconds = it->get<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e11)
    return false;
  *out_ms = static_cast<int64_t>(std::llround(seconds * 1000.0));
  return true;
}

}  // namespace

std::optional<CompactParts> SplitCompact(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos)
    return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  CompactParts parts;
  parts.header = token.substr(0, first);
  parts.payload = token.substr(first + 1, second - first - 1);
  parts.signature = token.substr(second + 1);
  parts.signing_input = token.substr(0, second);
  return parts;
}

std::optional<JoseHeader> ParseHeader(std::string_view encoded) {
  const auto object = DecodeObject(encoded);
  if (!object)
    return std::nullopt;
  JoseHeader header;
  if (!ReadString(*object, "alg", &header.alg, true) ||
      !ReadString(*object, "kid", &header.kid, false)) {
    return std::nullopt;
  }
  return header;
}

std::optional<Claims> ParseClaims(std::string_view encoded, std::string_view audience) {
  const auto object = DecodeObject(encoded);
  if (!object)
    return std::nullopt;
  Claims claims;
  if (!ReadString(*object, "iss", &claims.issuer, true) ||
      !ReadString(*object, "sub", &claims.subject, true) ||
      !ReadString(*object, "name", &claims.username, false) ||
      !ReadString(*object, "role", &claims.role, true) ||
      !ReadString(*object, "sid", &claims.session_id, false) ||
      !ReadTime(*object, "iat", &claims.issued_at_ms, true) ||
      !ReadTime(*object, "nbf", &claims.not_before_ms, false) ||
      !ReadTime(*object, "exp", &claims.expires_at_ms, true)) {
    return std::nullopt;
  }
  const auto aud = object->find("aud");
  if (aud == object->end())
    return std::nullopt;
  if (aud->is_string()) {
    claims.audience = aud->get<std::string>();
  } else if (aud->is_array()) {
    for (const json& entry : *aud) {
      if (!entry.is_string())
        return std::nullopt;
      if (entry.get<std::string>() == audience)
        claims.audience = std::string(audience);
    }
  } else {
    return std::nullopt;
  }
  if (claims.subject.empty())
    return std::nullopt;
  return claims;
}

}  // namespace ss::authn::detail
