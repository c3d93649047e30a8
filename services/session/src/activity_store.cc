#include "activity_store.h"

#include "db/query.h"

namespace ss::session {
namespace {

constexpr db::Query kActivityUpsert{
    "session_activity_upsert",
    "INSERT INTO session.activity (id, active_connections, last_activity) VALUES ($1, $2, $3) "
    "ON CONFLICT (id) DO UPDATE SET active_connections = $2, "
    "last_activity = greatest(session.activity.last_activity, $3), seq = DEFAULT"};

constexpr db::Query kActivitySince{
    "session_activity_since",
    "SELECT id, active_connections, last_activity, seq FROM session.activity WHERE seq > $1 "
    "ORDER BY seq LIMIT 1000"};

}  // namespace

void ActivityStore::Record(const ActivityRow& row) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kActivityUpsert, row.id, row.active_connections, row.last_activity);
  });
}

std::vector<ActivityRow> ActivityStore::ChangedSince(int64_t* after) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<ActivityRow> rows;
    for (const pqxx::row& row : db::Execute(tx, kActivitySince, *after)) {
      rows.push_back(
          ActivityRow{row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>()});
      *after = row[3].as<int64_t>();
    }
    return rows;
  });
}

}  // namespace ss::session
