#include "authn/api_tokens.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "authn/encoding.h"

namespace ss::authn {
namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kSecretBytes = 32;
// The hex id and the base64url secret: anything longer is not ours.
constexpr std::size_t kIdLength = kIdBytes * 2;
constexpr std::size_t kMaxSecretLength = 64;

}  // namespace

NewApiToken MakeApiToken() {
  NewApiToken token;
  token.id = HexEncode(RandomBytes(kIdBytes));
  const std::string secret = Base64UrlEncode(RandomBytes(kSecretBytes));
  token.text = fmt::format("{}{}_{}", kApiTokenPrefix, token.id, secret);
  token.secret_hash = Sha256(secret);
  return token;
}

bool IsApiToken(std::string_view token) {
  return token.substr(0, kApiTokenPrefix.size()) == kApiTokenPrefix;
}

bool SplitApiToken(std::string_view token, std::string_view* id, std::string_view* secret) {
  if (!IsApiToken(token))
    return false;
  token.remove_prefix(kApiTokenPrefix.size());
  if (token.size() <= kIdLength + 1 || token[kIdLength] != '_' ||
      token.size() > kIdLength + 1 + kMaxSecretLength) {
    return false;
  }
  *id = token.substr(0, kIdLength);
  *secret = token.substr(kIdLength + 1);
  return std::all_of(id->begin(), id->end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

void ApiTokenTable::Replace(std::vector<ApiTokenGrant> grants) {
  grants_.clear();
  for (ApiTokenGrant& grant : grants) {
    std::string id = grant.id;
    grants_.emplace(std::move(id), std::move(grant));
  }
}

const ApiTokenGrant* ApiTokenTable::Match(std::string_view token) const {
  std::string_view id;
  std::string_view secret;
  if (!SplitApiToken(token, &id, &secret))
    return nullptr;
  const auto it = grants_.find(std::string(id));
  if (it == grants_.end() || !ConstantTimeEquals(Sha256(secret), it->second.secret_hash))
    return nullptr;
  return &it->second;
}

}  // namespace ss::authn
