#include "quota_store.h"

#include <spdlog/spdlog.h>

#include <array>
#include <mutex>
#include <optional>

#include "core/log.h"
#include "db/query.h"

namespace ss::session {
namespace {

constexpr db::Query kVersion{"quota_version", "SELECT version FROM session.quota_version"};

constexpr db::Query kReadAll{
    "quota_read_all",
    "SELECT subject_kind, subject_id, max_sessions, max_cpu, max_memory, max_storage "
    "FROM session.quotas"};

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

// BEGIN, then the lock, the stale claims dropped, the others read and the new one made
// (migrations/002): one round trip where a transaction object would take two. A prepared
// statement holds one statement only, so this one is sent as text with its values quoted.
std::string AcquireSql(pqxx::transaction_base& tx, const std::string& username,
                       const QuotaClaim& claim) {
  return "BEGIN; SELECT claim_session, claim_kind, claim_cpu, claim_memory, claim_home FROM "
         "session.quota_acquire(" +
         tx.quote(username) + ", " + tx.quote(claim.session) + ", " + tx.quote(claim.kind) + ", " +
         tx.quote(claim.cpu) + ", " + tx.quote(claim.memory) + ", " +
         tx.quote(claim.persistent_home) + ")";
}

// Ends the transaction AcquireSql began however the caller leaves: a connection never goes back
// to the pool inside it (a broken one fails this too, and the pool replaces it).
class OpenTransaction {
 public:
  explicit OpenTransaction(pqxx::transaction_base& tx) : tx_(tx) {}
  ~OpenTransaction() {
    if (open_) {
      try {
        tx_.exec("ROLLBACK");
      } catch (const std::exception&) {
        // The connection is gone, and the transaction with it.
      }
    }
  }
  OpenTransaction(const OpenTransaction&) = delete;
  OpenTransaction& operator=(const OpenTransaction&) = delete;
  void Commit() {
    open_ = false;
    tx_.exec("COMMIT");
  }

 private:
  pqxx::transaction_base& tx_;
  bool open_ = true;
};

constexpr db::Query kRenameClaim{"quota_claim_rename",
                                 "UPDATE session.quota_claims SET session = $2 WHERE session = $1"};

constexpr db::Query kForgetClaim{"quota_claim_forget",
                                 "DELETE FROM session.quota_claims WHERE session = $1"};

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

std::optional<QuotaStore::Table> QuotaStore::ReadIfChanged(int64_t known) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<Table> {
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(
        connection);
    Table table;
    table.version = db::Execute(tx, kVersion)[0][0].as<int64_t>();
    if (table.version == known)
      return std::nullopt;
    for (const pqxx::row& row : db::Execute(tx, kReadAll)) {
      const QuotaSubject subject =
          row[0].as<std::string>() == "user" ? QuotaSubject::kUser : QuotaSubject::kGroup;
      table.rows[{subject, row[1].as<std::string>()}] = RowAt(row, 2);
    }
    return table;
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

grpc::Status QuotaStore::WithUserLock(const std::string& username, const QuotaClaim& intended,
                                      const Locked& locked) {
  std::lock_guard stripe(Stripe(username));
  std::optional<grpc::Status> outcome;
  pool_.With([&](pqxx::connection& connection) {
    if (outcome)
      return;
    pqxx::nontransaction tx(connection);
    OpenTransaction transaction(tx);
    std::vector<QuotaClaim> others;
    for (const pqxx::row& row : tx.exec(AcquireSql(tx, username, intended))) {
      others.push_back(QuotaClaim{row[0].as<std::string>(), row[1].as<std::string>(),
                                  row[2].as<std::string>(), row[3].as<std::string>(),
                                  row[4].as<bool>()});
    }
    std::string session = intended.session;
    outcome = locked(others, &session);
    if (!outcome->ok())
      return;
    // The write is done: a claim that fails to commit only leaves the other replicas counting
    // the user's use low until their watches bring the write (this replica's cache has it).
    try {
      if (session != intended.session)
        db::Execute(tx, kRenameClaim, intended.session, session);
      transaction.Commit();
    } catch (const std::exception& e) {
      spdlog::warn("quota claim of {} not committed: {}", session, core::FirstLine(e.what()));
    }
  });
  return *outcome;
}

void QuotaStore::ForgetClaim(const std::string& session) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    db::Execute(tx, kForgetClaim, session);
  });
}

}  // namespace ss::session
