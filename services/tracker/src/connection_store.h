// Connections in schema tracker: the only code that knows its SQL. Times cross this boundary as
// milliseconds since the epoch read from the database's clock, or as RFC 3339 text formatted by
// Postgres for the wire.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "streamspace/tracker/v1/tracker.pb.h"

namespace ss::tracker {

// Which connections a call may touch: one (by id) or all of a session's, and only those of
// `user` unless the caller is privileged (empty user).
struct ConnectionScope {
  std::string session_id;
  std::string connection_id;
  std::string user;
};

struct HeartbeatResult {
  // No open connection matched the scope.
  bool found = false;
  // A stale connection became active again.
  bool reactivated = false;
  int active = 0;
  int64_t idle_timeout_ms = 0;
  int64_t now_ms = 0;
};

struct DisconnectResult {
  bool found = false;
  // Some connection was still open.
  bool changed = false;
  int active = 0;
};

struct ConnectionPage {
  std::vector<streamspace::tracker::v1::Connection> connections;
  int total = 0;
  bool more = false;
  // The cursor after the last connection of the page.
  int64_t last_connected_us = 0;
};

// Where a page starts: after (connected_at, id); an empty id means the beginning.
struct ConnectionCursor {
  int64_t connected_us = 0;
  std::string id;
};

// One session's connections, summarized for the sweeper and the activity reports.
struct SessionActivity {
  int active = 0;
  std::optional<int64_t> last_stale_heartbeat_ms;
  std::optional<int64_t> last_closed_ms;
  // Latest heartbeat or disconnect of any connection.
  std::optional<int64_t> last_activity_ms;
};

class ConnectionStore {
 public:
  explicit ConnectionStore(db::Pool& pool) : pool_(pool) {}

  streamspace::tracker::v1::Connection Record(const std::string& session_id,
                                              const std::string& user,
                                              const std::string& client_address,
                                              const std::string& user_agent,
                                              int64_t idle_timeout_ms);

  // Every open connection of the scope gets a heartbeat now; stale ones become active.
  HeartbeatResult Heartbeat(const ConnectionScope& scope);
  // Closes the connections of the scope (already closed ones stay as they are).
  DisconnectResult Disconnect(const ConnectionScope& scope);
  // Closes every open connection of a session; true if there was one.
  bool CloseSession(const std::string& session_id);

  // The session's connections (only `user`'s unless it is empty), oldest first.
  ConnectionPage List(const std::string& session_id, const std::string& user,
                      const ConnectionCursor& after, int page_size);

  // Marks active connections without a heartbeat for `stale_after_ms` stale; returns the
  // sessions they belong to (once each).
  std::vector<std::string> MarkStale(int64_t stale_after_ms);

  // Deletes up to `limit` connections that ended (closed, or stale without a heartbeat since)
  // more than `retention_ms` ago; returns how many.
  int PruneEnded(int64_t retention_ms, int limit);

  // The activity of the named sessions (absent: no connection ever), and the database's clock.
  std::map<std::string, SessionActivity> Activity(const std::vector<std::string>& session_ids,
                                                  int64_t* now_ms);

 private:
  db::Pool& pool_;
};

}  // namespace ss::tracker
