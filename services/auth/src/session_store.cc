#include "session_store.h"

#include "db/query.h"

namespace ss::auth {
namespace {

// The time of the N-th most recent failure in the window, per account and per address.
constexpr db::Query kFailures{
    "login_failures_recent",
    "SELECT "
    "(SELECT (extract(epoch FROM at) * 1000)::bigint FROM auth.failed_login_attempts "
    "  WHERE username = $1 AND at > now() - $4::bigint * interval '1 millisecond' "
    "  ORDER BY at DESC OFFSET $3::int - 1 LIMIT 1), "
    "(SELECT (extract(epoch FROM at) * 1000)::bigint FROM auth.failed_login_attempts "
    "  WHERE address = $2 AND at > now() - $4::bigint * interval '1 millisecond' "
    "  ORDER BY at DESC OFFSET $3::int - 1 LIMIT 1), "
    "(extract(epoch FROM now()) * 1000)::bigint"};

constexpr db::Query kRecordFailure{
    "login_failure_record",
    "INSERT INTO auth.failed_login_attempts (username, address) VALUES ($1, $2)"};

// Marks the token used only if it is live, so two concurrent refreshes cannot both win.
constexpr db::Query kConsume{
    "refresh_consume",
    "UPDATE auth.refresh_tokens SET revoked_at = now() "
    "WHERE token_hash = decode($1, 'hex') AND revoked_at IS NULL AND expires_at > now() "
    "RETURNING session_id::text, user_id::text"};

constexpr db::Query kLookup{
    "refresh_lookup",
    "SELECT session_id::text, revoked_at IS NOT NULL FROM auth.refresh_tokens "
    "WHERE token_hash = decode($1, 'hex')"};

constexpr db::Query kInsertRefresh{
    "refresh_insert",
    "INSERT INTO auth.refresh_tokens (token_hash, session_id, user_id, expires_at) "
    "VALUES (decode($1, 'hex'), $2::uuid, $3::uuid, "
    "        now() + $4::bigint * interval '1 millisecond')"};

constexpr db::Query kRevokeSession{
    "session_revoke",
    "WITH ended AS (UPDATE auth.refresh_tokens SET revoked_at = now() "
    "  WHERE session_id = $1::uuid AND revoked_at IS NULL) "
    "INSERT INTO auth.revocations (session_id, expires_at) "
    "VALUES ($1::uuid, to_timestamp($2::bigint / 1000.0))"};

// Rows of the last seconds are sent again whatever the cursor: a transaction that took its
// sequence number earlier but committed later is then not skipped. Applying twice is harmless.
constexpr db::Query kRevocations{
    "revocations_after",
    "SELECT sequence, coalesce(session_id::text, ''), coalesce(user_id::text, ''), "
    "not_before_ms, (extract(epoch FROM expires_at) * 1000)::bigint FROM auth.revocations "
    "WHERE (sequence > $1 OR created_at > now() - interval '10 seconds') AND expires_at > now() "
    "ORDER BY sequence LIMIT $2"};

constexpr db::Query kPruneRevocations{
    "prune_revocations",
    "DELETE FROM auth.revocations WHERE expires_at < now() - interval '1 minute'"};
constexpr db::Query kPruneRefresh{
    "prune_refresh", "DELETE FROM auth.refresh_tokens WHERE expires_at < now() - interval '1 day'"};
constexpr db::Query kPruneFailures{
    "prune_failures",
    "DELETE FROM auth.failed_login_attempts WHERE at < now() - $1::bigint * interval '1 "
    "millisecond'"};

std::optional<int64_t> OptionalMs(const pqxx::field& field) {
  if (field.is_null())
    return std::nullopt;
  return field.as<int64_t>();
}

}  // namespace

RecentFailures SessionStore::Failures(const std::string& username, const std::string& address,
                                      const ThrottlePolicy& policy, int64_t* now_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::row row = db::Execute(tx, kFailures, username, address, policy.max_failures,
                                      static_cast<int64_t>(policy.window.count()))[0];
    *now_ms = row[2].as<int64_t>();
    return RecentFailures{OptionalMs(row[0]), OptionalMs(row[1])};
  });
}

void SessionStore::RecordFailure(const std::string& username, const std::string& address) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kRecordFailure, username, address);
  });
}

RotatedRefresh SessionStore::Rotate(const std::string& old_hash_hex,
                                    const std::string& new_hash_hex, int64_t refresh_ttl_ms,
                                    int64_t session_expires_at_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    RotatedRefresh rotated;
    pqxx::work tx(connection);
    const pqxx::result consumed = db::Execute(tx, kConsume, old_hash_hex);
    if (consumed.empty()) {
      const pqxx::result known = db::Execute(tx, kLookup, old_hash_hex);
      if (!known.empty() && known[0][1].as<bool>()) {
        rotated.result = RotatedRefresh::Result::kReused;
        rotated.session_id = known[0][0].as<std::string>();
        db::Execute(tx, kRevokeSession, rotated.session_id, session_expires_at_ms);
      }
      tx.commit();
      return rotated;
    }
    rotated.session_id = consumed[0][0].as<std::string>();
    const std::string user_id = consumed[0][1].as<std::string>();
    db::Execute(tx, kInsertRefresh, new_hash_hex, rotated.session_id, user_id, refresh_ttl_ms);
    tx.commit();
    rotated.result = RotatedRefresh::Result::kRotated;
    rotated.user_id = user_id;
    return rotated;
  });
}

void SessionStore::RevokeSession(const std::string& session_id, int64_t expires_at_ms) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kRevokeSession, session_id, expires_at_ms);
  });
}

authn::RevocationBatch SessionStore::Revocations(int64_t after, int limit) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    authn::RevocationBatch batch;
    batch.latest = after;
    for (const pqxx::row& row : db::Execute(tx, kRevocations, after, limit)) {
      authn::Revocation entry{row[0].as<int64_t>(), row[1].as<std::string>(),
                              row[2].as<std::string>(), row[3].as<int64_t>(), row[4].as<int64_t>()};
      batch.latest = std::max(batch.latest, entry.sequence);
      batch.revocations.push_back(std::move(entry));
    }
    return batch;
  });
}

void SessionStore::PruneExpired(const ThrottlePolicy& policy) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kPruneRevocations);
    db::Execute(tx, kPruneRefresh);
    db::Execute(tx, kPruneFailures, static_cast<int64_t>(policy.window.count()));
  });
}

}  // namespace ss::auth
