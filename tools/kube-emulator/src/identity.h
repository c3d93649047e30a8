// Who sends a request: the administrator's token, ServiceAccount tokens, and impersonation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "object_store.h"

namespace kubeemu {

// The authenticated user, as the API server's authenticators describe it.
struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;

  // Members of system:masters pass every authorization check, as in kube-apiserver.
  bool IsMaster() const;
};

// The user of the administrator's token (kubeconfig's `kube-emulator-admin`).
UserInfo AdminUser();

// The user a ServiceAccount's token authenticates as: `system:serviceaccount:<ns>:<name>` in
// the groups system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated.
UserInfo ServiceAccountUser(const std::string& ns, const std::string& name, const std::string& uid);

// The namespace and name of a `system:serviceaccount:<ns>:<name>` user, if it is one.
std::optional<std::pair<std::string, std::string>> ParseServiceAccountUser(const std::string& user);

// The audience of tokens issued without one (the API server's own), and the issuer they name.
inline constexpr const char* kTokenIssuer = "https://kubernetes.default.svc.cluster.local";

// A ServiceAccount token issued by the TokenRequest API.
struct IssuedToken {
  std::string token;
  long long expires_at = 0;  // seconds since the epoch
};

// Issues and checks bearer tokens. ServiceAccount tokens are JWTs signed (HS256) with a key
// derived from the administrator's token, so they stay valid across restarts that keep the
// state dir; like bound tokens of a real cluster, they stop working when their ServiceAccount
// is deleted (or replaced: the uid must match) or when they expire.
class TokenAuthority {
 public:
  explicit TokenAuthority(std::string admin_token);

  // True when an `Authorization` header value carries the administrator's token.
  bool IsAdmin(const std::string& authorization) const;

  // The user of an `Authorization` header value, or nullopt when it authenticates no one. A
  // ServiceAccount token counts only for an audience it was issued for (the API server's own,
  // kTokenIssuer, unless a TokenReview asks for another). The caller holds the cluster lock (the
  // ServiceAccount is looked up in `store`).
  std::optional<UserInfo> Authenticate(const std::string& authorization, const ObjectStore& store,
                                       const std::string& audience = kTokenIssuer) const;

  // A token for `service_account` valid for `seconds`, for the given audiences.
  IssuedToken Issue(const Json& service_account, long long seconds,
                    const std::vector<std::string>& audiences) const;

 private:
  std::string admin_token_;
  std::string signing_key_;
};

}  // namespace kubeemu
