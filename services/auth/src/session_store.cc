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

constexpr db::Query kRenewable{
    "sign_in_renewable",
    "SELECT 1 FROM auth.sign_ins WHERE session_id = $1::uuid AND user_id = $2::uuid "
    "AND ended_at IS NULL AND expires_at > now() AND NOT EXISTS (SELECT 1 FROM auth.revocations "
    "  WHERE (session_id = $1::uuid OR (user_id = $2::uuid AND not_before_ms > $3)) "
    "  AND expires_at > now())"};

constexpr db::Query kRevokeSession{"session_revoke",
                                   "WITH ended AS (UPDATE auth.sign_ins SET ended_at = now() "
                                   "  WHERE session_id = $1::uuid AND ended_at IS NULL) "
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
constexpr db::Query kPruneSignIns{
    "prune_sign_ins", "DELETE FROM auth.sign_ins WHERE expires_at < now() - interval '1 day'"};
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

bool SessionStore::Renewable(const std::string& session_id, const std::string& user_id,
                             int64_t issued_at_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return !db::Execute(tx, kRenewable, session_id, user_id, issued_at_ms).empty();
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
    db::Execute(tx, kPruneSignIns);
    db::Execute(tx, kPruneFailures, static_cast<int64_t>(policy.window.count()));
  });
}

}  // namespace ss::auth
