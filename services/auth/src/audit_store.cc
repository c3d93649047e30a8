#include "audit_store.h"

#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "db/query.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

#define SS_AUDIT_TIME(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

constexpr db::Query kWrite{
    "audit_write",
    "INSERT INTO auth.audit_events (id, at, user_id, username, token_id, service, method, object, "
    "client_address, outcome, code, message, request_id) "
    "VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (id) DO UPDATE SET outcome = EXCLUDED.outcome, code = EXCLUDED.code, "
    "message = EXCLUDED.message "
    "WHERE auth.audit_events.outcome = 'pending' AND EXCLUDED.outcome <> 'pending'"};

// $1-$6 the filters (NULL: any), $7/$8 the cursor, $9 the limit.
#define SS_AUDIT_WHERE                                                                       \
  " WHERE ($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR method = $2) "        \
  "AND ($3::text IS NULL OR outcome = $3) AND ($4::text IS NULL OR strpos(object, $4) > 0) " \
  "AND ($5::timestamptz IS NULL OR at >= $5::timestamptz) "                                  \
  "AND ($6::timestamptz IS NULL OR at < $6::timestamptz)"

constexpr db::Query kList{
    "audit_list",
    "SELECT id, " SS_AUDIT_TIME("at") ", user_id, username, token_id, service, method, object, "
    "client_address, outcome, code, message, request_id FROM auth.audit_events"
    SS_AUDIT_WHERE
    " AND ($7::timestamptz IS NULL OR (at, id) < ($7::timestamptz, $8::text)) "
    "ORDER BY at DESC, id DESC LIMIT $9"};

constexpr db::Query kCount{"audit_count", "SELECT count(*) FROM auth.audit_events" SS_AUDIT_WHERE};

constexpr db::Query kPrune{
    "audit_prune", "DELETE FROM auth.audit_events WHERE at < now() - make_interval(days => $1)"};

std::optional<std::string> Time(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

void AuditStore::Write(const std::vector<pb::AuditEvent>& events) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    for (const pb::AuditEvent& e : events) {
      db::Execute(tx, kWrite, e.id(), Time(e.time()), e.user_id(), e.username(), e.token_id(),
                  e.service(), e.method(), e.object(), e.client_address(), e.outcome(), e.code(),
                  e.message(), e.request_id());
    }
    tx.commit();
  });
}

AuditPage AuditStore::List(const AuditFilter& filter, const std::optional<AuditCursor>& after,
                           int limit) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::read_transaction tx(connection);
    const std::optional<std::string> after_time =
        after ? std::optional<std::string>(after->time) : std::nullopt;
    const std::optional<std::string> after_id =
        after ? std::optional<std::string>(after->id) : std::nullopt;
    const pqxx::result rows =
        db::Execute(tx, kList, filter.username, filter.method, filter.outcome, filter.object,
                    filter.since, filter.until, after_time, after_id, limit + 1);
    AuditPage page;
    for (const pqxx::row& row : rows) {
      if (static_cast<int>(page.events.size()) == limit) {
        page.more = true;
        break;
      }
      pb::AuditEvent& event = page.events.emplace_back();
      event.set_id(row[0].as<std::string>());
      event.set_time(row[1].as<std::string>());
      event.set_user_id(row[2].as<std::string>());
      event.set_username(row[3].as<std::string>());
      event.set_token_id(row[4].as<std::string>());
      event.set_service(row[5].as<std::string>());
      event.set_method(row[6].as<std::string>());
      event.set_object(row[7].as<std::string>());
      event.set_client_address(row[8].as<std::string>());
      event.set_outcome(row[9].as<std::string>());
      event.set_code(row[10].as<int>());
      event.set_message(row[11].as<std::string>());
      event.set_request_id(row[12].as<std::string>());
    }
    // The window count covers the rows after the cursor only: the total needs its own count.
    page.total = db::Execute(tx, kCount, filter.username, filter.method, filter.outcome,
                             filter.object, filter.since, filter.until)[0][0]
                     .as<int>();
    return page;
  });
}

void AuditStore::PruneOlderThan(int days) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    db::Execute(tx, kPrune, days);
    tx.commit();
  });
}

grpc::Status StoreAuditSink::Write(const std::vector<pb::AuditEvent>& events) {
  try {
    store_.Write(events);
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    spdlog::error("audit: cannot write to the database: {}", core::FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable");
  }
}

}  // namespace ss::auth
