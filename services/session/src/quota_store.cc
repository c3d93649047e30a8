#include "quota_store.h"

#include <spdlog/spdlog.h>

#include <array>
#include <mutex>
#include <optional>

#include "core/log.h"
#include "db/query.h"

namespace ss::session {
namespace {

constexpr db::Query kRead{
    "quota_read",
    "SELECT subject_kind, subject_id, max_sessions, max_cpu, max_memory, max_storage "
    "FROM session.quotas WHERE (subject_kind = 'user' AND subject_id = $1) OR "
    "(subject_kind = 'group' AND subject_id = ANY (string_to_array($2, ',')))"};

constexpr db::Query kReadOne{
    "quota_read_one",
    "SELECT max_sessions, max_cpu, max_memory, max_storage FROM session.quotas "
    "WHERE subject_kind = $1 AND subject_id = $2"};

constexpr db::Query kReadUsers{
    "quota_read_users",
    "SELECT subject_id, max_sessions, max_cpu, max_memory, max_storage FROM session.quotas "
    "WHERE subject_kind = 'user' ORDER BY subject_id"};

constexpr db::Query kReadSomeUsers{
    "quota_read_some_users",
    "SELECT subject_id, max_sessions, max_cpu, max_memory, max_storage FROM session.quotas "
    "WHERE subject_kind = 'user' AND subject_id = ANY (string_to_array($1, ','))"};

constexpr db::Query kUpsert{
    "quota_upsert",
    "INSERT INTO session.quotas (subject_kind, subject_id, max_sessions, max_cpu, max_memory, "
    "max_storage) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject_kind, subject_id) DO UPDATE "
    "SET max_sessions = $3, max_cpu = $4, max_memory = $5, max_storage = $6, updated_at = now()"};

constexpr db::Query kDelete{
    "quota_delete", "DELETE FROM session.quotas WHERE subject_kind = $1 AND subject_id = $2"};

// One key per user for every replica: pg_advisory_xact_lock is released with the transaction.
constexpr db::Query kLock{
    "quota_lock", "SELECT pg_advisory_xact_lock(hashtextextended('session.quota:' || $1, 0))"};

const char* Kind(QuotaSubject subject) {
  return subject == QuotaSubject::kUser ? "user" : "group";
}

QuotaRow RowAt(const pqxx::row& row, int first) {
  QuotaRow quota;
  quota.max_sessions = row[first].as<int32_t>();
  quota.max_cpu = row[first + 1].as<std::string>();
  quota.max_memory = row[first + 2].as<std::string>();
  quota.max_storage = row[first + 3].as<std::string>();
  return quota;
}

std::string Joined(const std::vector<std::string>& ids) {
  std::string joined;
  for (const std::string& id : ids) {
    if (id.empty() || id.find(',') != std::string::npos)
      continue;
    if (!joined.empty())
      joined += ',';
    joined += id;
  }
  return joined;
}

// Creates of one user on this replica wait here rather than each holding a database connection
// while it waits for the advisory lock.
std::mutex& Stripe(const std::string& username) {
  static std::array<std::mutex, 64> stripes;
  return stripes[std::hash<std::string>{}(username) % stripes.size()];
}

}  // namespace

QuotaStore::Limits QuotaStore::Read(const std::string& user_id,
                                    const std::vector<std::string>& group_ids) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    Limits limits;
    for (const pqxx::row& row : db::Execute(tx, kRead, user_id, Joined(group_ids))) {
      if (row[0].as<std::string>() == "user")
        limits.user = RowAt(row, 2);
      else
        limits.groups[row[1].as<std::string>()] = RowAt(row, 2);
    }
    return limits;
  });
}

QuotaRow QuotaStore::ReadOne(QuotaSubject subject, const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kReadOne, Kind(subject), id);
    return result.empty() ? QuotaRow{} : RowAt(result[0], 0);
  });
}

std::map<std::string, QuotaRow> QuotaStore::ReadUsers() {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::map<std::string, QuotaRow> rows;
    for (const pqxx::row& row : db::Execute(tx, kReadUsers))
      rows[row[0].as<std::string>()] = RowAt(row, 1);
    return rows;
  });
}

std::map<std::string, QuotaRow> QuotaStore::ReadUsers(const std::vector<std::string>& user_ids) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::map<std::string, QuotaRow> rows;
    for (const pqxx::row& row : db::Execute(tx, kReadSomeUsers, Joined(user_ids)))
      rows[row[0].as<std::string>()] = RowAt(row, 1);
    return rows;
  });
}

QuotaRow QuotaStore::Write(QuotaSubject subject, const std::string& id, const QuotaRow& row) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    if (row.empty()) {
      db::Execute(tx, kDelete, Kind(subject), id);
    } else {
      db::Execute(tx, kUpsert, Kind(subject), id, row.max_sessions, row.max_cpu, row.max_memory,
                  row.max_storage);
    }
  });
  return row;
}

grpc::Status QuotaStore::WithUserLock(const std::string& username,
                                      const std::function<grpc::Status()>& locked) {
  std::lock_guard stripe(Stripe(username));
  std::optional<grpc::Status> outcome;
  pool_.With([&](pqxx::connection& connection) {
    if (outcome)
      return;
    pqxx::work tx(connection);
    db::Execute(tx, kLock, username);
    outcome = locked();
    // The transaction wrote nothing: a failed commit only releases the lock, as it would anyway.
    try {
      tx.commit();
    } catch (const std::exception& e) {
      spdlog::warn("quota lock of {}: {}", username, core::FirstLine(e.what()));
    }
  });
  return *outcome;
}

}  // namespace ss::session
