#include "api_token_store.h"

#include <fmt/format.h>

#include "authn/encoding.h"
#include "db/query.h"
#include "user_columns.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

#define SS_TOKEN_COLUMNS \
  "t.id, t.name, array_to_string(t.scopes, ','), " SS_AUTH_RFC3339(                             \
      "t.created_at") ", " SS_AUTH_RFC3339("t.expires_at") ", " SS_AUTH_RFC3339("t.last_used_at") \
                                                           ", u.username"

constexpr db::Query kCount{"api_token_count",
                           "SELECT count(*) FROM auth.api_tokens WHERE user_id = $1::uuid"};
constexpr db::Query kLockUser{"api_token_lock_user",
                              "SELECT 1 FROM auth.users WHERE id = $1::uuid FOR UPDATE"};
constexpr db::Query kInsert{
    "api_token_insert",
    "WITH t AS (INSERT INTO auth.api_tokens (id, user_id, name, secret_hash, scopes, expires_at) "
    "VALUES ($1, $2::uuid, $3, decode($4, 'hex'), string_to_array($5, ','), $6::timestamptz) "
    "ON CONFLICT (user_id, name) DO NOTHING RETURNING *) "
    "SELECT " SS_TOKEN_COLUMNS " FROM t JOIN auth.users u ON u.id = t.user_id"};
constexpr db::Query kList{"api_token_list",
                          "SELECT " SS_TOKEN_COLUMNS
                          " FROM auth.api_tokens t JOIN auth.users u ON u.id = t.user_id "
                          "WHERE t.user_id = $1::uuid ORDER BY t.created_at, t.id"};
// $2 NULL: anyone's token (admins).
constexpr db::Query kDelete{
    "api_token_delete",
    "DELETE FROM auth.api_tokens WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)"};
constexpr db::Query kVersion{"api_token_version", "SELECT version FROM auth.api_token_version"};
constexpr db::Query kGrants{
    "api_token_grants",
    "SELECT t.id, t.secret_hash, u.id::text, u.username, u.role, NOT u.disabled, "
    "array_to_string(t.scopes, ','), (extract(epoch FROM t.expires_at) * 1000)::bigint "
    "FROM auth.api_tokens t JOIN auth.users u ON u.id = t.user_id WHERE t.expires_at > now()"};
constexpr db::Query kUse{
    "api_token_use",
    "UPDATE auth.api_tokens SET last_used_at = to_timestamp($2::bigint / 1000.0) "
    "WHERE id = $1 AND (last_used_at IS NULL OR "
    "last_used_at < to_timestamp($2::bigint / 1000.0))"};
constexpr db::Query kPrune{
    "api_token_prune",
    "DELETE FROM auth.api_tokens WHERE expires_at < now() - make_interval(days => $1)"};

pb::ApiToken ReadToken(const pqxx::row& row) {
  pb::ApiToken token;
  token.set_id(row[0].as<std::string>());
  token.set_name(row[1].as<std::string>());
  AppendCommaList(row[2].as<std::string>(), token.mutable_scopes());
  token.set_created_at(row[3].as<std::string>());
  token.set_expires_at(row[4].as<std::string>());
  if (!row[5].is_null())
    token.set_last_used_at(row[5].as<std::string>());
  token.set_user(row[6].as<std::string>());
  return token;
}

}  // namespace

TokenInsert ApiTokenStore::Insert(const NewTokenRow& row, int max_per_user, pb::ApiToken* token) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    // The owner's row lock orders concurrent creations, so the count holds.
    if (db::Execute(tx, kLockUser, row.user_id).empty())
      return TokenInsert::kNoUser;
    if (db::Execute(tx, kCount, row.user_id)[0][0].as<int>() >= max_per_user)
      return TokenInsert::kTooMany;
    const pqxx::result inserted =
        db::Execute(tx, kInsert, row.id, row.user_id, row.name, authn::HexEncode(row.secret_hash),
                    fmt::format("{}", fmt::join(row.scopes, ",")), row.expires_at);
    if (inserted.empty())
      return TokenInsert::kDuplicateName;
    *token = ReadToken(inserted[0]);
    tx.commit();
    return TokenInsert::kDone;
  });
}

std::vector<pb::ApiToken> ApiTokenStore::List(const std::string& user_id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::read_transaction tx(connection);
    std::vector<pb::ApiToken> tokens;
    for (const pqxx::row& row : db::Execute(tx, kList, user_id))
      tokens.push_back(ReadToken(row));
    return tokens;
  });
}

bool ApiTokenStore::Delete(const std::string& id, const std::optional<std::string>& owner_id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const bool deleted = db::Execute(tx, kDelete, id, owner_id).affected_rows() > 0;
    tx.commit();
    return deleted;
  });
}

authn::ApiTokenSnapshot ApiTokenStore::Sync(int64_t known_version) {
  return pool_.With([&](pqxx::connection& connection) {
    authn::ApiTokenSnapshot snapshot;
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(
        connection);
    snapshot.version = db::Execute(tx, kVersion)[0][0].as<int64_t>();
    snapshot.changed = snapshot.version != known_version;
    if (!snapshot.changed)
      return snapshot;
    for (const pqxx::row& row : db::Execute(tx, kGrants)) {
      google::protobuf::RepeatedPtrField<std::string> scopes;
      AppendCommaList(row[6].as<std::string>(), &scopes);
      snapshot.tokens.push_back(authn::ApiTokenGrant{row[0].as<std::string>(),
                                                     pqxx::binarystring(row[1]).str(),
                                                     row[2].as<std::string>(),
                                                     row[3].as<std::string>(),
                                                     row[4].as<std::string>(),
                                                     row[5].as<bool>(),
                                                     {scopes.begin(), scopes.end()},
                                                     row[7].as<int64_t>()});
    }
    return snapshot;
  });
}

void ApiTokenStore::RecordUses(const std::vector<authn::ApiTokenUse>& uses) {
  if (uses.empty())
    return;
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    for (const authn::ApiTokenUse& use : uses)
      db::Execute(tx, kUse, use.token_id, use.used_at_ms);
    tx.commit();
  });
}

void ApiTokenStore::PruneExpired(int keep_days) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    db::Execute(tx, kPrune, keep_days);
    tx.commit();
  });
}

}  // namespace ss::auth
