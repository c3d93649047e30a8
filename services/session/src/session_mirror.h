// The Postgres mirror of the session cache (table session.sessions): changes are queued by the
// cache (on the watch thread) and written in batches by the mirror's own thread, newest state of
// each session only.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "db/pool.h"
#include "session_cache.h"

namespace ss::session {

// MIRROR_FLUSH_INTERVAL: how long changes gather before one batch is written.
std::vector<core::Variable> SessionMirrorVariables();
std::chrono::milliseconds MirrorFlushIntervalFrom(const core::Config& config);

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

}  // namespace ss::session
