#include "identity.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace kubeemu {
namespace {

constexpr const char* kServiceAccountPrefix = "system:serviceaccount:";
constexpr std::string_view kBearer = "Bearer ";

std::string Base64Url(std::string_view data) {
  std::string out = Base64Encode(data);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string FromBase64Url(std::string text) {
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  return Base64Decode(text);
}

std::string HmacSha256(const std::string& key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

long long NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool UserInfo::IsMaster() const {
  return std::find(groups.begin(), groups.end(), "system:masters") != groups.end();
}

UserInfo AdminUser() {
  return {"kubernetes-admin", "", {"system:masters", "system:authenticated"}};
}

UserInfo ServiceAccountUser(const std::string& ns, const std::string& name,
                            const std::string& uid) {
  return {kServiceAccountPrefix + ns + ":" + name,
          uid,
          {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}};
}

std::optional<std::pair<std::string, std::string>> ParseServiceAccountUser(
    const std::string& user) {
  if (!user.starts_with(kServiceAccountPrefix)) {
    return std::nullopt;
  }
  const std::string rest = user.substr(std::string_view(kServiceAccountPrefix).size());
  const size_t colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find(':', colon + 1) != std::string::npos) {
    return std::nullopt;
  }
  return std::pair{rest.substr(0, colon), rest.substr(colon + 1)};
}

TokenAuthority::TokenAuthority(std::string admin_token) : admin_token_(std::move(admin_token)) {
  signing_key_ = HmacSha256(admin_token_, "kube-emulator service account token signing key");
}

bool TokenAuthority::IsAdmin(const std::string& authorization) const {
  const std::string_view token =
      std::string_view(authorization)
          .substr(authorization.starts_with(kBearer) ? kBearer.size() : authorization.size());
  return !token.empty() && token.size() == admin_token_.size() &&
         CRYPTO_memcmp(token.data(), admin_token_.data(), token.size()) == 0;
}

std::optional<UserInfo> TokenAuthority::Authenticate(const std::string& authorization,
                                                     const ObjectStore& store,
                                                     const std::string& audience) const {
  if (IsAdmin(authorization)) {
    return AdminUser();
  }
  if (!authorization.starts_with(kBearer)) {
    return std::nullopt;
  }
  const std::string token = authorization.substr(kBearer.size());
  const size_t first = token.find('.');
  const size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos) {
    return std::nullopt;
  }
  const std::string signature = FromBase64Url(token.substr(second + 1));
  const std::string expected = HmacSha256(signing_key_, std::string_view(token).substr(0, second));
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  const Json claims =
      Json::parse(FromBase64Url(token.substr(first + 1, second - first - 1)), nullptr, false);
  const auto expires = claims.is_object() ? claims.find("exp") : claims.end();
  if (expires == claims.end() || !expires->is_number_integer() ||
      expires->get<long long>() <= NowSeconds()) {
    return std::nullopt;
  }
  const auto audiences = claims.find("aud");
  if (audiences == claims.end() || !audiences->is_array() ||
      std::find(audiences->begin(), audiences->end(), audience) == audiences->end()) {
    return std::nullopt;
  }
  const auto bound_claim = claims.find("kubernetes.io");
  if (bound_claim == claims.end() || !bound_claim->is_object()) {
    return std::nullopt;
  }
  const Json* bound = &*bound_claim;
  const std::string ns = PathString(*bound, "namespace");
  const std::string name = PathString(*bound, "serviceaccount.name");
  const std::string uid = PathString(*bound, "serviceaccount.uid");
  const Json* account = store.Get("/serviceaccounts", ns, name);
  if (account == nullptr || PathString(*account, "metadata.uid") != uid ||
      (*account)["metadata"].contains("deletionTimestamp")) {
    return std::nullopt;
  }
  return ServiceAccountUser(ns, name, uid);
}

IssuedToken TokenAuthority::Issue(const Json& service_account, long long seconds,
                                  const std::vector<std::string>& audiences) const {
  const std::string ns = PathString(service_account, "metadata.namespace");
  const std::string name = PathString(service_account, "metadata.name");
  const long long now = NowSeconds();
  const Json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "kube-emulator"}};
  const Json claims = {
      {"aud", audiences},
      {"exp", now + seconds},
      {"iat", now},
      {"nbf", now},
      {"iss", kTokenIssuer},
      {"jti", NewUuid()},
      {"sub", kServiceAccountPrefix + ns + ":" + name},
      {"kubernetes.io",
       {{"namespace", ns},
        {"serviceaccount",
         {{"name", name}, {"uid", PathString(service_account, "metadata.uid")}}}}}};
  const std::string signed_part = Base64Url(header.dump()) + "." + Base64Url(claims.dump());
  return {signed_part + "." + Base64Url(HmacSha256(signing_key_, signed_part)), now + seconds};
}

}  // namespace kubeemu
