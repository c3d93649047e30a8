#include "user_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "db/query.h"
#include "user_columns.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

constexpr db::Query kByUsername{"user_by_username",
                                "SELECT " SS_AUTH_USER_COLUMNS
                                ", password_hash FROM auth.users WHERE username = $1"};

constexpr db::Query kById{"user_by_id",
                          "SELECT " SS_AUTH_USER_COLUMNS " FROM auth.users WHERE id = $1::uuid"};

constexpr db::Query kRowById{"user_row_by_id",
                             "SELECT " SS_AUTH_USER_COLUMNS
                             ", password_hash FROM auth.users WHERE id = $1::uuid"};

// The filters of ListUsers: NULL matches everything.
#define SS_USER_FILTER                                                       \
  "($2::text IS NULL OR role = $2) AND ($3::text IS NULL OR provider = $3) " \
  "AND ($4::bool IS NULL OR disabled = NOT $4)"

// The matching count comes on every row, and alone on one row of NULLs past the last page. Each
// user comes with the names of their direct groups, comma-separated (a group name has no comma).
constexpr db::Query kPage{
    "users_page",
    "SELECT u.*, c.total FROM (SELECT count(*) AS total FROM auth.users "
    "WHERE " SS_USER_FILTER ") c LEFT JOIN LATERAL (SELECT " SS_AUTH_USER_COLUMNS
    ", coalesce((SELECT string_agg(g.name, ',' ORDER BY g.name) FROM auth.group_members m "
    "JOIN auth.groups g ON g.id = m.group_id WHERE m.user_id = users.id), '') "
    "FROM auth.users WHERE username > $1 AND " SS_USER_FILTER
    " ORDER BY username LIMIT $5) u ON true"};

constexpr db::Query kStats{"users_stats",
                           "SELECT count(*), count(*) FILTER (WHERE NOT disabled) FROM auth.users"};

constexpr db::Query kCreate{
    "user_create",
    "INSERT INTO auth.users (username, email, full_name, role, password_hash, provider, disabled) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING "
    "RETURNING " SS_AUTH_USER_COLUMNS};

constexpr db::Query kExists{"user_exists", "SELECT 1 FROM auth.users WHERE username = $1"};

// Serializes changes that could remove the last enabled admin.
constexpr db::Query kLockAdmins{
    "user_lock_admins", "SELECT pg_advisory_xact_lock(hashtext('streamspace.auth.admins'))"};

constexpr db::Query kForUpdate{
    "user_for_update",
    "SELECT role = 'admin' AND NOT disabled FROM auth.users WHERE id = $1::uuid FOR UPDATE"};

constexpr db::Query kOtherAdmins{
    "user_other_admins",
    "SELECT count(*) FROM auth.users WHERE role = 'admin' AND NOT disabled AND id <> $1::uuid"};

constexpr db::Query kUpdate{
    "user_update",
    "UPDATE auth.users SET email = coalesce($2, email), full_name = coalesce($3, full_name), "
    "role = coalesce($4, role), disabled = coalesce(NOT $5::bool, disabled), "
    "password_hash = coalesce($6, password_hash), updated_at = now() "
    "WHERE id = $1::uuid RETURNING " SS_AUTH_USER_COLUMNS};

constexpr db::Query kRevokeUser{"user_revoke",
                                "INSERT INTO auth.revocations (user_id, not_before_ms, expires_at) "
                                "VALUES ($1::uuid, $2, to_timestamp($3::bigint / 1000.0))"};

constexpr db::Query kDelete{"user_delete", "DELETE FROM auth.users WHERE id = $1::uuid"};

// $5-$8: the SAML assertion's issuer, NameID, its format and SessionIndex, or NULL.
constexpr db::Query kRecordLogin{
    "user_record_login",
    "WITH forgotten AS (DELETE FROM auth.failed_login_attempts WHERE username = $2), "
    "sign_in AS (INSERT INTO auth.sign_ins (session_id, user_id, expires_at, saml_issuer, "
    "  saml_name_id, saml_name_id_format, saml_session_index) "
    "  VALUES ($3::uuid, $1::uuid, now() + $4::bigint * interval '1 millisecond', $5, $6, $7, $8)) "
    "UPDATE auth.users SET last_login_at = now() WHERE id = $1::uuid "
    "RETURNING " SS_AUTH_USER_COLUMNS};

constexpr db::Query kFederatedAccount{
    "user_federated_account",
    "SELECT u.id::text, u.role, u.disabled, u.username FROM auth.sso_identities i "
    "JOIN auth.users u ON u.id = i.user_id "
    "WHERE i.provider = $1 AND i.issuer = $2 AND i.subject = $3 FOR UPDATE OF u"};

constexpr db::Query kAddIdentity{
    "user_add_identity",
    "INSERT INTO auth.sso_identities (provider, issuer, subject, user_id) "
    "VALUES ($1, $2, $3, $4::uuid)"};

// Memberships of the managed groups ($2) become exactly the mapped ones ($3), comma-separated
// group names (which hold no comma).
constexpr db::Query kSetManagedGroups{
    "user_set_managed_groups",
    "WITH gone AS (DELETE FROM auth.group_members m USING auth.groups g "
    "  WHERE m.group_id = g.id AND m.user_id = $1::uuid "
    "  AND g.name = ANY (string_to_array($2, ',')) AND NOT g.name = ANY (string_to_array($3, "
    "','))) "
    "INSERT INTO auth.group_members (group_id, user_id) "
    "SELECT id, $1::uuid FROM auth.groups WHERE name = ANY (string_to_array($3, ',')) "
    "ON CONFLICT DO NOTHING"};

constexpr db::Query kSetPassword{
    "user_set_password",
    "UPDATE auth.users SET password_hash = $2, updated_at = now() WHERE id = $1::uuid"};

// Every other live sign-in of the user ends, and its tokens are revoked everywhere.
constexpr db::Query kEndOtherSignIns{
    "user_end_other_sign_ins",
    "WITH ended AS (UPDATE auth.sign_ins SET ended_at = now() "
    "  WHERE user_id = $1::uuid AND session_id <> $2::uuid AND ended_at IS NULL "
    "  AND expires_at > now() RETURNING session_id) "
    "INSERT INTO auth.revocations (session_id, expires_at) "
    "SELECT session_id, to_timestamp($3::bigint / 1000.0) FROM ended"};

#undef SS_USER_FILTER

UserRow ReadRow(const pqxx::row& row) {
  return UserRow{ReadUser(row), row[kUserColumns].as<std::string>()};
}

// Locks the admin count when the change could disable or demote an admin; kLastAdmin if it
// would leave none.
WriteResult CheckAdminsRemain(pqxx::work& tx, const std::string& id, bool removes_admin) {
  if (removes_admin)
    db::Execute(tx, kLockAdmins);
  const pqxx::result target = db::Execute(tx, kForUpdate, id);
  if (target.empty())
    return WriteResult::kNotFound;
  const bool enabled_admin = target[0][0].as<bool>();
  if (removes_admin && enabled_admin &&
      db::Execute(tx, kOtherAdmins, id)[0][0].as<int64_t>() == 0) {
    return WriteResult::kLastAdmin;
  }
  return WriteResult::kDone;
}

}  // namespace

pb::User ReadUser(const pqxx::row& row) {
  pb::User user;
  user.set_id(row[0].as<std::string>());
  user.set_username(row[1].as<std::string>());
  user.set_email(row[2].as<std::string>());
  user.set_full_name(row[3].as<std::string>());
  user.set_role(row[4].as<std::string>());
  user.set_active(!row[5].as<bool>());
  user.set_created_at(row[6].as<std::string>());
  if (!row[7].is_null())
    user.set_last_login(row[7].as<std::string>());
  user.set_provider(row[8].as<std::string>());
  user.set_updated_at(row[9].as<std::string>());
  return user;
}

void AppendCommaList(const std::string& text,
                     google::protobuf::RepeatedPtrField<std::string>* items) {
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    items->Add(text.substr(start, comma - start));
    start = comma + 1;
  }
}

std::optional<UserRow> UserStore::FindByUsername(const std::string& username) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<UserRow> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kByUsername, username);
    if (result.empty())
      return std::nullopt;
    return ReadRow(result[0]);
  });
}

std::optional<pb::User> UserStore::FindById(const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<pb::User> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kById, id);
    if (result.empty())
      return std::nullopt;
    return ReadUser(result[0]);
  });
}

std::optional<UserRow> UserStore::FindRowById(const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<UserRow> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kRowById, id);
    if (result.empty())
      return std::nullopt;
    return ReadRow(result[0]);
  });
}

UserPage UserStore::List(const UserFilter& filter, const std::string& after_username, int limit) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    // One row more than asked tells whether another page follows.
    const pqxx::result result = db::Execute(tx, kPage, after_username, filter.role, filter.provider,
                                            filter.active, limit + 1);
    UserPage page;
    for (const pqxx::row& row : result) {
      page.total = row[kUserColumns + 1].as<int>();
      if (row[0].is_null())
        break;
      if (static_cast<int>(page.users.size()) == limit) {
        page.more = true;
        break;
      }
      pb::User user = ReadUser(row);
      AppendCommaList(row[kUserColumns].as<std::string>(), user.mutable_groups());
      page.users.push_back(std::move(user));
    }
    return page;
  });
}

UserCounts UserStore::Counts() {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::row row = db::Execute(tx, kStats)[0];
    return UserCounts{row[0].as<int>(), row[1].as<int>()};
  });
}

std::optional<pb::User> UserStore::Create(const std::string& username, const NewUser& fields) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<pb::User> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result =
        db::Execute(tx, kCreate, username, fields.email, fields.full_name, fields.role,
                    fields.password_hash, fields.provider, !fields.active);
    if (result.empty())
      return std::nullopt;
    return ReadUser(result[0]);
  });
}

bool UserStore::CreateIfAbsent(const std::string& username, const std::string& role,
                               const std::string& password_hash) {
  NewUser fields;
  fields.role = role;
  fields.password_hash = password_hash;
  return Create(username, fields).has_value();
}

bool UserStore::Exists(const std::string& username) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return !db::Execute(tx, kExists, username).empty();
  });
}

WriteResult UserStore::Update(const std::string& id, const UserChanges& changes,
                              const std::optional<UserRevocation>& revocation, pb::User* updated) {
  const bool removes_admin =
      (changes.role && *changes.role != "admin") || (changes.active && !*changes.active);
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const WriteResult check = CheckAdminsRemain(tx, id, removes_admin);
    if (check != WriteResult::kDone)
      return check;
    const pqxx::result result = db::Execute(tx, kUpdate, id, changes.email, changes.full_name,
                                            changes.role, changes.active, changes.password_hash);
    if (revocation) {
      db::Execute(tx, kRevokeUser, id, revocation->not_before_ms, revocation->expires_at_ms);
    }
    tx.commit();
    *updated = ReadUser(result[0]);
    return WriteResult::kDone;
  });
}

WriteResult UserStore::Delete(const std::string& id, const UserRevocation& revocation) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const WriteResult check = CheckAdminsRemain(tx, id, true);
    if (check != WriteResult::kDone)
      return check;
    db::Execute(tx, kDelete, id);
    db::Execute(tx, kRevokeUser, id, revocation.not_before_ms, revocation.expires_at_ms);
    tx.commit();
    return WriteResult::kDone;
  });
}

pb::User UserStore::RecordLogin(const std::string& user_id, const std::string& username,
                                const std::string& session_id, int64_t sign_in_ttl_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const std::optional<std::string> none;
    const pqxx::result result = db::Execute(tx, kRecordLogin, user_id, username, session_id,
                                            sign_in_ttl_ms, none, none, none, none);
    if (result.empty())
      throw std::runtime_error("user vanished during login");
    return ReadUser(result[0]);
  });
}

FederatedResult UserStore::SignInFederated(const FederatedIdentity& identity,
                                           const std::optional<SamlSignIn>& saml,
                                           const std::string& session_id, int64_t sign_in_ttl_ms,
                                           const UserRevocation& revocation, pb::User* user) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result account =
        db::Execute(tx, kFederatedAccount, identity.provider, identity.issuer, identity.subject);
    std::string id;
    std::string username = identity.username;
    if (account.empty()) {
      const pqxx::result created =
          db::Execute(tx, kCreate, identity.username, identity.email, identity.full_name,
                      identity.role.value_or("user"), std::string(), identity.provider, false);
      if (created.empty())
        return FederatedResult::kUsernameTaken;
      id = created[0][0].as<std::string>();
      db::Execute(tx, kAddIdentity, identity.provider, identity.issuer, identity.subject, id);
    } else {
      id = account[0][0].as<std::string>();
      username = account[0][3].as<std::string>();
      if (account[0][2].as<bool>())
        return FederatedResult::kDisabled;
      std::optional<std::string> role = identity.role;
      const std::string old_role = account[0][1].as<std::string>();
      if (role && *role != old_role &&
          CheckAdminsRemain(tx, id, old_role == "admin") == WriteResult::kLastAdmin) {
        role.reset();
      }
      const std::optional<bool> active;
      const std::optional<std::string> password;
      db::Execute(tx, kUpdate, id, identity.email, identity.full_name, role, active, password);
      if (role && *role != old_role)
        db::Execute(tx, kRevokeUser, id, revocation.not_before_ms, revocation.expires_at_ms);
    }
    if (!identity.managed_groups.empty()) {
      db::Execute(tx, kSetManagedGroups, id,
                  fmt::format("{}", fmt::join(identity.managed_groups, ",")),
                  fmt::format("{}", fmt::join(identity.groups, ",")));
    }
    const auto part = [&](std::string SamlSignIn::*field) {
      return saml ? std::optional<std::string>((*saml).*field) : std::nullopt;
    };
    const pqxx::result signed_in =
        db::Execute(tx, kRecordLogin, id, username, session_id, sign_in_ttl_ms,
                    part(&SamlSignIn::issuer), part(&SamlSignIn::name_id),
                    part(&SamlSignIn::name_id_format), part(&SamlSignIn::session_index));
    tx.commit();
    *user = ReadUser(signed_in[0]);
    return FederatedResult::kSignedIn;
  });
}

void UserStore::ChangeOwnPassword(const std::string& user_id, const std::string& session_id,
                                  const std::string& password_hash,
                                  int64_t revocation_expires_at_ms) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    db::Execute(tx, kSetPassword, user_id, password_hash);
    db::Execute(tx, kEndOtherSignIns, user_id, session_id, revocation_expires_at_ms);
    tx.commit();
  });
}

}  // namespace ss::auth
