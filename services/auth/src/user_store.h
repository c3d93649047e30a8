// The users table (schema auth): every statement is a db::Query in user_store.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

struct UserRow {
  streamspace::auth::v1::User user;
  std::string password_hash;
};

struct UserPage {
  std::vector<streamspace::auth::v1::User> users;
  int total = 0;
  bool more = false;
};

// A new account.
struct NewUser {
  std::string email;
  std::string full_name;
  std::string role = "user";
  std::string provider = "local";
  bool active = true;
  // Empty for saml and oidc accounts: it never verifies.
  std::string password_hash;
};

// ListUsers' filters; unset ones match every user.
struct UserFilter {
  std::optional<std::string> role;
  std::optional<std::string> provider;
  std::optional<bool> active;
};

struct UserCounts {
  int total = 0;
  int active = 0;
};

// The fields an update sets; unset ones keep their value.
struct UserChanges {
  std::optional<std::string> email;
  std::optional<std::string> full_name;
  std::optional<std::string> role;
  std::optional<bool> active;
  std::optional<std::string> password_hash;
};

// A revocation of every token of one user issued before not_before_ms.
struct UserRevocation {
  int64_t not_before_ms = 0;
  int64_t expires_at_ms = 0;
};

enum class WriteResult { kDone, kNotFound, kLastAdmin };

// Who an identity provider says signed in (SAML or OpenID Connect), as auth's mapping reads it.
struct FederatedIdentity {
  // "saml" or "oidc".
  std::string provider;
  // With `subject`, the account's key: the IdP's entity ID or the OpenID issuer.
  std::string issuer;
  // The NameID or the ID token's `sub`.
  std::string subject;
  // A valid username (rpc::NormalizeUsername), used when the account is created.
  std::string username;
  std::string email;
  std::string full_name;
  // The role the provider's groups give, when a role mapping is configured; without one an
  // account keeps the role an admin gave it.
  std::optional<std::string> role;
  // Our groups that the provider's groups map to, and every group the mapping manages: the
  // user's memberships of managed groups become exactly `groups`; other memberships stay.
  std::vector<std::string> groups;
  std::vector<std::string> managed_groups;
};

// The assertion that opened a SAML sign-in: what single logout names.
struct SamlSignIn {
  std::string issuer;
  std::string name_id;
  std::string name_id_format;
  std::string session_index;
};

enum class FederatedResult { kSignedIn, kUsernameTaken, kDisabled };

class UserStore {
 public:
  explicit UserStore(db::Pool& pool) : pool_(pool) {}

  std::optional<UserRow> FindByUsername(const std::string& username);
  // One round trip, no transaction: the hot path of GetMe.
  std::optional<streamspace::auth::v1::User> FindById(const std::string& id);
  std::optional<UserRow> FindRowById(const std::string& id);
  // Users that match `filter` ordered by username after `after_username`, at most `limit`; the
  // total counts every match.
  UserPage List(const UserFilter& filter, const std::string& after_username, int limit);
  UserCounts Counts();
  // nullopt when the username is taken.
  std::optional<streamspace::auth::v1::User> Create(const std::string& username,
                                                    const NewUser& fields);
  // True if the account was created now, false if it existed (concurrent starts agree).
  bool CreateIfAbsent(const std::string& username, const std::string& role,
                      const std::string& password_hash);
  bool Exists(const std::string& username);

  // Applies the changes; with `revocation`, also revokes the user's earlier tokens in the same
  // transaction. Refuses (kLastAdmin) to leave no enabled admin.
  WriteResult Update(const std::string& id, const UserChanges& changes,
                     const std::optional<UserRevocation>& revocation,
                     streamspace::auth::v1::User* updated);
  WriteResult Delete(const std::string& id, const UserRevocation& revocation);

  // After a good password: stamps last_login_at, forgets the account's failures and records the
  // new sign-in, renewable for `sign_in_ttl_ms`. One round trip.
  streamspace::auth::v1::User RecordLogin(const std::string& user_id, const std::string& username,
                                          const std::string& session_id, int64_t sign_in_ttl_ms);

  // A sign-in through an identity provider, in one transaction: the account of (provider,
  // issuer, subject) is created (refused with kUsernameTaken when the username belongs to another
  // account: never linked) or updated from `identity` (a role change revokes the user's earlier
  // tokens until `revocation`; the last enabled admin keeps the role), its managed group
  // memberships set, and a sign-in recorded as RecordLogin does. A disabled account changes
  // nothing.
  FederatedResult SignInFederated(const FederatedIdentity& identity,
                                  const std::optional<SamlSignIn>& saml,
                                  const std::string& session_id, int64_t sign_in_ttl_ms,
                                  const UserRevocation& revocation,
                                  streamspace::auth::v1::User* user);

  // Sets the user's password and ends their other sign-ins (their tokens revoked until
  // `revocation_expires_at_ms`); the sign-in `session_id` stays. One transaction.
  void ChangeOwnPassword(const std::string& user_id, const std::string& session_id,
                         const std::string& password_hash, int64_t revocation_expires_at_ms);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
