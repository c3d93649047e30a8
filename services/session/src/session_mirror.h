// The Postgres mirror of the session cache (table session.sessions): changes are queued by the
// cache (on the watch thread) and written in batches by the mirror's own thread, newest state of
// each session only. Also the shared activity table (session.activity) that lets every replica
// see what the tracker reported to any of them.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "db/pool.h"
#include "session_cache.h"

namespace ss::session {

void PrepareMirrorStatements(pqxx::connection& connection);

class SessionMirror final : public SessionSink {
 public:
  SessionMirror(db::Pool& pool, std::chrono::milliseconds flush_interval);
  ~SessionMirror() override;

  void Upsert(const SessionRecord& record) override;
  void Remove(const std::string& id) override;
  void Retain(std::vector<std::string> live) override;

  // Starts the writer thread.
  void Start();
  // Writes what is queued and stops the thread.
  void Stop();

 private:
  void Run();
  // Writes one batch; false (and the batch kept) when the database failed.
  bool Flush(std::map<std::string, std::optional<SessionRecord>>& batch,
             std::optional<std::vector<std::string>>& retain);

  db::Pool& pool_;
  const std::chrono::milliseconds flush_interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  // id -> newest state (nullopt: deleted).
  std::map<std::string, std::optional<SessionRecord>> pending_;
  std::optional<std::vector<std::string>> retain_;
  bool stopping_ = false;
  std::thread thread_;
};

struct ActivityRow {
  std::string id;
  int active_connections = 0;
  std::string last_activity;
};

// session.activity: what the tracker reported, for every replica.
class ActivityStore {
 public:
  explicit ActivityStore(db::Pool& pool) : pool_(pool) {}
  void Record(const ActivityRow& row);
  // Rows changed after sequence `after` (updated to the newest seen).
  std::vector<ActivityRow> ChangedSince(int64_t* after);

 private:
  db::Pool& pool_;
};

// Applies what other replicas recorded in session.activity to this replica's cache.
class ActivityFeed {
 public:
  ActivityFeed(ActivityStore& store, SessionCache& cache, std::chrono::milliseconds interval);
  ~ActivityFeed();
  void Start();
  void Stop();

 private:
  void Run();

  ActivityStore& store_;
  SessionCache& cache_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ss::session
