#include "session_store.h"

#include <fmt/format.h>

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

constexpr db::Query kAddSamlRequest{
    "saml_request_add",
    "INSERT INTO auth.saml_requests (id, expires_at) VALUES ($1, to_timestamp($2::bigint / "
    "1000.0))"};

constexpr db::Query kConsumeSamlRequest{
    "saml_request_consume",
    "DELETE FROM auth.saml_requests WHERE id = $1 AND expires_at > now() RETURNING 1"};

constexpr db::Query kRecordSamlAssertion{
    "saml_assertion_record",
    "INSERT INTO auth.saml_assertions (id, keep_until) "
    "VALUES ($1, to_timestamp($2::bigint / 1000.0)) ON CONFLICT (id) DO NOTHING RETURNING 1"};

constexpr db::Query kSamlSession{
    "saml_session_of",
    "SELECT saml_name_id, coalesce(saml_name_id_format, ''), coalesce(saml_session_index, '') "
    "FROM auth.sign_ins WHERE session_id = $1::uuid AND saml_name_id IS NOT NULL "
    "AND ended_at IS NULL AND expires_at > now()"};

// $3: comma-separated session indexes (an IdP's are opaque tokens, without commas in practice;
// one with a comma simply matches nothing), or '' for all.
constexpr db::Query kEndSamlSessions{
    "saml_sessions_end",
    "WITH ended AS (UPDATE auth.sign_ins SET ended_at = now() "
    "  WHERE saml_issuer = $1 AND saml_name_id = $2 AND ended_at IS NULL AND expires_at > now() "
    "  AND ($3 = '' OR saml_session_index = ANY (string_to_array($3, ','))) "
    "  RETURNING session_id) "
    "INSERT INTO auth.revocations (session_id, expires_at) "
    "SELECT session_id, to_timestamp($4::bigint / 1000.0) FROM ended RETURNING 1"};

constexpr db::Query kAddOidcLogin{
    "oidc_login_add",
    "INSERT INTO auth.oidc_logins (state, nonce, code_verifier, return_to, expires_at) "
    "VALUES ($1, $2, $3, $4, to_timestamp($5::bigint / 1000.0))"};

constexpr db::Query kTakeOidcLogin{
    "oidc_login_take",
    "DELETE FROM auth.oidc_logins WHERE state = $1 AND expires_at > now() "
    "RETURNING nonce, code_verifier, return_to"};

constexpr db::Query kPruneSso{
    "prune_sso",
    "WITH r AS (DELETE FROM auth.saml_requests WHERE expires_at < now()), "
    "a AS (DELETE FROM auth.saml_assertions WHERE keep_until < now()) "
    "DELETE FROM auth.oidc_logins WHERE expires_at < now()"};

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

void SessionStore::AddSamlRequest(const std::string& id, int64_t expires_at_ms) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kAddSamlRequest, id, expires_at_ms);
  });
}

bool SessionStore::ConsumeSamlRequest(const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return !db::Execute(tx, kConsumeSamlRequest, id).empty();
  });
}

bool SessionStore::RecordSamlAssertion(const std::string& id, int64_t keep_until_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return !db::Execute(tx, kRecordSamlAssertion, id, keep_until_ms).empty();
  });
}

std::optional<SamlSession> SessionStore::SamlSessionOf(const std::string& session_id) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<SamlSession> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kSamlSession, session_id);
    if (result.empty())
      return std::nullopt;
    return SamlSession{result[0][0].as<std::string>(), result[0][1].as<std::string>(),
                       result[0][2].as<std::string>()};
  });
}

int SessionStore::EndSamlSessions(const std::string& issuer, const std::string& name_id,
                                  const std::vector<std::string>& session_indexes,
                                  int64_t expires_at_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return static_cast<int>(db::Execute(tx, kEndSamlSessions, issuer, name_id,
                                        fmt::format("{}", fmt::join(session_indexes, ",")),
                                        expires_at_ms)
                                .size());
  });
}

void SessionStore::AddOidcLogin(const OidcLogin& login, int64_t expires_at_ms) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kAddOidcLogin, login.state, login.nonce, login.code_verifier, login.return_to,
                expires_at_ms);
  });
}

std::optional<OidcLogin> SessionStore::TakeOidcLogin(const std::string& state) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<OidcLogin> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kTakeOidcLogin, state);
    if (result.empty())
      return std::nullopt;
    return OidcLogin{state, result[0][0].as<std::string>(), result[0][1].as<std::string>(),
                     result[0][2].as<std::string>()};
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
    db::Execute(tx, kPruneSso);
    db::Execute(tx, kPruneFailures, static_cast<int64_t>(policy.window.count()));
  });
}

}  // namespace ss::auth
