#include "connection_store.h"

#include <set>

#include "db/query.h"

namespace ss::tracker {
namespace {

namespace pb = streamspace::tracker::v1;

// Columns of a Connection on the wire, times as RFC 3339 in UTC.
#define SS_CONNECTION_COLUMNS                                                             \
  "id::text, session_id, username, client_address, user_agent, "                          \
  "to_char(connected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "          \
  "to_char(last_heartbeat AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), state, " \
  "(extract(epoch FROM connected_at) * 1000000)::bigint"

constexpr db::Query kRecord{"connection_record",
                            "INSERT INTO tracker.connections "
                            "(session_id, username, client_address, user_agent, idle_timeout_ms) "
                            "VALUES ($1, $2, $3, $4, $5) RETURNING " SS_CONNECTION_COLUMNS};

// The open connections of a scope ($2: one id or '' for all; $3: one user or '' for all),
// locked, with the state they had.
#define SS_SCOPE_FILTER                                         \
  "session_id = $1 AND ($2 = '' OR id = NULLIF($2, '')::uuid) " \
  "AND ($3 = '' OR username = $3)"

constexpr db::Query kHeartbeat{
    "connection_heartbeat",
    "WITH target AS (SELECT id, state FROM tracker.connections "
    "  WHERE " SS_SCOPE_FILTER
    " AND state <> 'closed' FOR UPDATE) "
    "UPDATE tracker.connections c SET last_heartbeat = now(), state = 'active' FROM target "
    "WHERE c.id = target.id RETURNING target.state, c.idle_timeout_ms, "
    "(extract(epoch FROM now()) * 1000)::bigint"};

constexpr db::Query kDisconnect{
    "connection_disconnect",
    "WITH target AS (SELECT id, state FROM tracker.connections "
    "  WHERE " SS_SCOPE_FILTER
    " FOR UPDATE) "
    "UPDATE tracker.connections c SET state = 'closed', closed_at = coalesce(c.closed_at, now()) "
    "FROM target WHERE c.id = target.id RETURNING target.state"};

constexpr db::Query kCountActive{
    "connection_count_active",
    "SELECT count(*) FROM tracker.connections WHERE session_id = $1 AND state = 'active'"};

constexpr db::Query kCloseSession{
    "connection_close_session",
    "UPDATE tracker.connections SET state = 'closed', closed_at = now() "
    "WHERE session_id = $1 AND state <> 'closed'"};

// $2: one user or '' for all; the page starts after ($3 microseconds, $4 id) unless $4 is ''.
constexpr db::Query kList{
    "connection_list",
    "SELECT " SS_CONNECTION_COLUMNS
    " FROM tracker.connections WHERE session_id = $1 AND ($2 = '' OR username = $2) "
    "AND ($4 = '' OR (connected_at, id) > "
    "  (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', NULLIF($4, '')::uuid)) "
    "ORDER BY connected_at, id LIMIT $5"};

constexpr db::Query kListTotals{"connection_list_totals",
                                "SELECT count(*) FROM tracker.connections WHERE session_id = $1 "
                                "AND ($2 = '' OR username = $2)"};

constexpr db::Query kMarkStale{
    "connection_mark_stale",
    "UPDATE tracker.connections SET state = 'stale' "
    "WHERE state = 'active' AND last_heartbeat < now() - $1::bigint * interval '1 millisecond' "
    "RETURNING session_id"};

// A session's last activity outlives its pruned connections in its own status.lastActivity.
constexpr db::Query kPruneEnded{
    "connection_prune_ended",
    "DELETE FROM tracker.connections WHERE id IN (SELECT id FROM tracker.connections "
    "  WHERE state <> 'active' "
    "  AND coalesce(closed_at, last_heartbeat) < now() - $1::bigint * interval '1 millisecond' "
    "  LIMIT $2)"};

// $1: a text[] literal of session names.
constexpr db::Query kActivity{
    "connection_activity",
    "SELECT session_id, count(*) FILTER (WHERE state = 'active'), "
    "(extract(epoch FROM max(last_heartbeat) FILTER (WHERE state = 'stale')) * 1000)::bigint, "
    "(extract(epoch FROM max(closed_at)) * 1000)::bigint, "
    "(extract(epoch FROM max(greatest(last_heartbeat, closed_at))) * 1000)::bigint "
    "FROM tracker.connections WHERE session_id = ANY($1::text[]) GROUP BY session_id"};

constexpr db::Query kNow{"connection_now", "SELECT (extract(epoch FROM now()) * 1000)::bigint"};

#undef SS_CONNECTION_COLUMNS
#undef SS_SCOPE_FILTER

pb::Connection ConnectionFrom(const pqxx::row& row) {
  pb::Connection connection;
  connection.set_id(row[0].as<std::string>());
  connection.set_session_id(row[1].as<std::string>());
  connection.set_user(row[2].as<std::string>());
  connection.set_client_address(row[3].as<std::string>());
  connection.set_user_agent(row[4].as<std::string>());
  connection.set_connected_at(row[5].as<std::string>());
  connection.set_last_heartbeat(row[6].as<std::string>());
  connection.set_state(row[7].as<std::string>());
  return connection;
}

std::optional<int64_t> OptionalMs(const pqxx::field& field) {
  if (field.is_null())
    return std::nullopt;
  return field.as<int64_t>();
}

// A Postgres array literal of names that are DNS labels (no quoting needed, but quoted anyway).
std::string TextArray(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1)
      literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\')
        literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

}  // namespace

pb::Connection ConnectionStore::Record(const std::string& session_id, const std::string& user,
                                       const std::string& client_address,
                                       const std::string& user_agent, int64_t idle_timeout_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return ConnectionFrom(
        db::Execute(tx, kRecord, session_id, user, client_address, user_agent, idle_timeout_ms)[0]);
  });
}

HeartbeatResult ConnectionStore::Heartbeat(const ConnectionScope& scope) {
  return pool_.With([&](pqxx::connection& connection) {
    HeartbeatResult result;
    pqxx::work tx(connection);
    const pqxx::result rows =
        db::Execute(tx, kHeartbeat, scope.session_id, scope.connection_id, scope.user);
    for (const pqxx::row& row : rows) {
      result.found = true;
      result.reactivated = result.reactivated || row[0].as<std::string>() == "stale";
      result.idle_timeout_ms = std::max(result.idle_timeout_ms, row[1].as<int64_t>());
      result.now_ms = row[2].as<int64_t>();
    }
    result.active = db::Execute(tx, kCountActive, scope.session_id)[0][0].as<int>();
    tx.commit();
    return result;
  });
}

DisconnectResult ConnectionStore::Disconnect(const ConnectionScope& scope) {
  return pool_.With([&](pqxx::connection& connection) {
    DisconnectResult result;
    pqxx::work tx(connection);
    const pqxx::result rows =
        db::Execute(tx, kDisconnect, scope.session_id, scope.connection_id, scope.user);
    for (const pqxx::row& row : rows) {
      result.found = true;
      result.changed = result.changed || row[0].as<std::string>() != "closed";
    }
    result.active = db::Execute(tx, kCountActive, scope.session_id)[0][0].as<int>();
    tx.commit();
    return result;
  });
}

bool ConnectionStore::CloseSession(const std::string& session_id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return db::Execute(tx, kCloseSession, session_id).affected_rows() > 0;
  });
}

ConnectionPage ConnectionStore::List(const std::string& session_id, const std::string& user,
                                     const ConnectionCursor& after, int page_size) {
  return pool_.With([&](pqxx::connection& connection) {
    ConnectionPage page;
    pqxx::work tx(connection);
    const pqxx::row totals = db::Execute(tx, kListTotals, session_id, user)[0];
    page.total = totals[0].as<int>();
    const pqxx::result rows =
        db::Execute(tx, kList, session_id, user, after.connected_us, after.id, page_size + 1);
    for (const pqxx::row& row : rows) {
      if (static_cast<int>(page.connections.size()) == page_size) {
        page.more = true;
        break;
      }
      page.connections.push_back(ConnectionFrom(row));
      page.last_connected_us = row[8].as<int64_t>();
    }
    tx.commit();
    return page;
  });
}

std::vector<std::string> ConnectionStore::MarkStale(int64_t stale_after_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::set<std::string> sessions;
    for (const pqxx::row& row : db::Execute(tx, kMarkStale, stale_after_ms))
      sessions.insert(row[0].as<std::string>());
    return std::vector<std::string>(sessions.begin(), sessions.end());
  });
}

int ConnectionStore::PruneEnded(int64_t retention_ms, int limit) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return static_cast<int>(db::Execute(tx, kPruneEnded, retention_ms, limit).affected_rows());
  });
}

std::map<std::string, SessionActivity> ConnectionStore::Activity(
    const std::vector<std::string>& session_ids, int64_t* now_ms) {
  return pool_.With([&](pqxx::connection& connection) {
    std::map<std::string, SessionActivity> activity;
    pqxx::work tx(connection);
    *now_ms = db::Execute(tx, kNow)[0][0].as<int64_t>();
    for (const pqxx::row& row : db::Execute(tx, kActivity, TextArray(session_ids))) {
      SessionActivity& entry = activity[row[0].as<std::string>()];
      entry.active = row[1].as<int>();
      entry.last_stale_heartbeat_ms = OptionalMs(row[2]);
      entry.last_closed_ms = OptionalMs(row[3]);
      entry.last_activity_ms = OptionalMs(row[4]);
    }
    tx.commit();
    return activity;
  });
}

}  // namespace ss::tracker
