#include "session_mirror.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "rpc/guarded.h"

namespace ss::session {
namespace {

constexpr const char* kUpsert = "session_mirror_upsert";
constexpr const char* kUpsertSql =
    "INSERT INTO session.sessions (id, username, user_id, template, state, phase, created_at, "
    "body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (id) DO UPDATE SET "
    "username = $2, user_id = $3, template = $4, state = $5, phase = $6, created_at = $7, "
    "body = $8::jsonb, mirrored_at = now()";

constexpr const char* kDelete = "session_mirror_delete";
constexpr const char* kDeleteSql =
    "WITH gone AS (DELETE FROM session.activity WHERE id = $1) "
    "DELETE FROM session.sessions WHERE id = $1";

// Session names are DNS labels, so the array literal needs no quoting.
constexpr const char* kRetain = "session_mirror_retain";
constexpr const char* kRetainSql =
    "WITH gone AS (DELETE FROM session.activity WHERE NOT (id = ANY($1::text[]))) "
    "DELETE FROM session.sessions WHERE NOT (id = ANY($1::text[]))";

constexpr const char* kActivityUpsert = "session_activity_upsert";
constexpr const char* kActivityUpsertSql =
    "INSERT INTO session.activity (id, active_connections, last_activity) VALUES ($1, $2, $3) "
    "ON CONFLICT (id) DO UPDATE SET active_connections = $2, "
    "last_activity = greatest(session.activity.last_activity, $3), seq = DEFAULT";

constexpr const char* kActivitySince = "session_activity_since";
constexpr const char* kActivitySinceSql =
    "SELECT id, active_connections, last_activity, seq FROM session.activity WHERE seq > $1 "
    "ORDER BY seq LIMIT 1000";

std::string ArrayLiteral(const std::vector<std::string>& ids) {
  std::string text = "{";
  for (const std::string& id : ids) {
    if (text.size() > 1)
      text += ',';
    text += id;
  }
  return text + "}";
}

// The REST shape, as the gateway prints it (default values included).
std::string BodyJson(const SessionRecord& record) {
  std::string body;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(record.session, &body, options);
  return body;
}

}  // namespace

void PrepareMirrorStatements(pqxx::connection& connection) {
  connection.prepare(kUpsert, kUpsertSql);
  connection.prepare(kDelete, kDeleteSql);
  connection.prepare(kRetain, kRetainSql);
  connection.prepare(kActivityUpsert, kActivityUpsertSql);
  connection.prepare(kActivitySince, kActivitySinceSql);
}

SessionMirror::SessionMirror(db::Pool& pool, std::chrono::milliseconds flush_interval)
    : pool_(pool), flush_interval_(flush_interval) {}

SessionMirror::~SessionMirror() {
  Stop();
}

void SessionMirror::Upsert(const SessionRecord& record) {
  std::lock_guard lock(mutex_);
  pending_[record.session.id()] = record;
  wake_.notify_one();
}

void SessionMirror::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  pending_[id] = std::nullopt;
  wake_.notify_one();
}

void SessionMirror::Retain(std::vector<std::string> live) {
  std::lock_guard lock(mutex_);
  retain_ = std::move(live);
  wake_.notify_one();
}

void SessionMirror::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SessionMirror::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_)
      return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void SessionMirror::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty() || retain_; });
    const bool last = stopping_;
    auto batch = std::move(pending_);
    auto retain = std::move(retain_);
    pending_.clear();
    retain_.reset();
    lock.unlock();
    const bool written = Flush(batch, retain);
    lock.lock();
    if (!written && !last) {
      // Keep what failed unless something newer was queued meanwhile.
      for (auto& [id, state] : batch)
        pending_.emplace(id, std::move(state));
      if (!retain_)
        retain_ = std::move(retain);
    }
    if (last)
      return;
    // Batches form while we wait: one transaction per interval at most.
    wake_.wait_for(lock, written ? flush_interval_ : std::chrono::seconds(2),
                   [this] { return stopping_; });
  }
}

bool SessionMirror::Flush(std::map<std::string, std::optional<SessionRecord>>& batch,
                          std::optional<std::vector<std::string>>& retain) {
  if (batch.empty() && !retain)
    return true;
  try {
    pool_.With([&](pqxx::connection& connection) {
      pqxx::work tx(connection);
      // The retain first: the batch may hold sessions made after the list it stems from ended.
      if (retain)
        tx.exec_prepared(kRetain, ArrayLiteral(*retain));
      for (const auto& [id, state] : batch) {
        if (!state) {
          tx.exec_prepared(kDelete, id);
          continue;
        }
        const auto& session = state->session;
        tx.exec_prepared(kUpsert, id, session.user(), state->user_id, session.template_(),
                         session.state(), session.status().phase(), session.created_at(),
                         BodyJson(*state));
      }
      tx.commit();
    });
    return true;
  } catch (const std::exception& e) {
    spdlog::error("session mirror: {}", rpc::FirstLine(e.what()));
    return false;
  }
}

void ActivityStore::Record(const ActivityRow& row) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    tx.exec_prepared(kActivityUpsert, row.id, row.active_connections, row.last_activity);
  });
}

std::vector<ActivityRow> ActivityStore::ChangedSince(int64_t* after) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<ActivityRow> rows;
    for (const pqxx::row& row : tx.exec_prepared(kActivitySince, *after)) {
      rows.push_back(
          ActivityRow{row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>()});
      *after = row[3].as<int64_t>();
    }
    return rows;
  });
}

ActivityFeed::ActivityFeed(ActivityStore& store, SessionCache& cache,
                           std::chrono::milliseconds interval)
    : store_(store), cache_(cache), interval_(interval) {}

ActivityFeed::~ActivityFeed() {
  Stop();
}

void ActivityFeed::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ActivityFeed::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void ActivityFeed::Run() {
  int64_t seen = 0;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      for (const ActivityRow& row : store_.ChangedSince(&seen)) {
        streamspace::session::v1::Session updated;
        cache_.SetActivity(row.id, row.active_connections, row.last_activity, &updated);
      }
    } catch (const std::exception& e) {
      spdlog::warn("session activity: {}", rpc::FirstLine(e.what()));
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace ss::session
