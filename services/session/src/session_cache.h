// Every Session of the namespace in memory, kept current by a kube::Watcher (it is the
// watcher's handler) and by the objects the API's own writes get back. All reads of the API are
// answered from here; each change goes to the Postgres mirror and to the WatchSessions
// subscribers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/config.h"
#include "kube/watcher.h"
#include "session_resource.h"
#include "subscription.h"
#include "validation.h"

namespace ss::session {

// Where the cache's changes are mirrored (the Postgres table); called with the cache locked, so
// implementations only queue.
class SessionSink {
 public:
  virtual ~SessionSink() = default;
  virtual void Upsert(const SessionRecord& record) = 0;
  virtual void Remove(const std::string& id) = 0;
  // After a full list: every id not in `live` is gone.
  virtual void Retain(std::vector<std::string> live) = 0;
};

struct SessionQuery {
  // Only this user's sessions (username); empty for all.
  std::string user;
  // Only sessions in this desired state; empty for all.
  std::string state;
  std::optional<PageCursor> after;
  int limit = rpc::kDefaultPageSize;
};

struct SessionPage {
  std::vector<streamspace::session::v1::Session> sessions;
  int total = 0;
  // Set when another page follows.
  std::optional<PageCursor> next;
};

// WATCH_QUEUE_LIMIT: events a WatchSessions stream may fall behind before it is ended.
std::vector<core::Variable> SessionCacheVariables();
std::size_t WatchQueueLimitFrom(const core::Config& config);
// The watch that feeds the cache: the Sessions of NAMESPACE.
kube::WatcherOptions SessionWatchOptionsFrom(const core::Config& config);

class SessionCache final : public kube::WatchHandler {
 public:
  // `sink` may be null (tests); it must outlive the cache.
  SessionCache(SessionSink* sink, std::size_t subscriber_limit);

  void OnListStart() override;
  void OnEvent(kube::WatchEventType type, const nlohmann::json& object) override;
  void OnSynced() override;
  void OnError(const kube::Error& error) override;

  // Waits for the first complete list; false after `timeout`.
  bool WaitSynced(std::chrono::milliseconds timeout);
  // The first complete list is in: reads are answered from here.
  bool synced() const;

  std::optional<SessionRecord> Get(const std::string& id) const;
  SessionPage List(const SessionQuery& query) const;
  // The username of the sessions labelled with this user id, if any.
  std::optional<std::string> UsernameOf(const std::string& user_id) const;
  // Sessions of `user` other than `except` that mount the persistent home.
  bool HomeInUse(const std::string& user, const std::string& except) const;
  // Every session of `user` (username), in any state.
  std::vector<streamspace::session::v1::Session> OfUser(const std::string& user) const;
  // The cache holds session `id`, or saw it go within the last kRemovedMemory: a write of
  // another replica that it has not seen yet is neither.
  bool Seen(const std::string& id) const;
  static constexpr std::chrono::minutes kRemovedMemory{5};

  // An object the API server answered to one of our writes; applied when newer than what the
  // watch delivered so far, and never to a session the cache does not hold (deleted meanwhile).
  // Returns the session as the cache now holds it (or as answered, when it holds none).
  streamspace::session::v1::Session Apply(const nlohmann::json& object);
  // The answer to creating a session: added when the watch has not delivered it yet.
  streamspace::session::v1::Session ApplyCreated(const nlohmann::json& object);

  // The tracker's figures; false for an unknown session.
  bool SetActivity(const std::string& id, int active_connections, const std::string& last_activity,
                   streamspace::session::v1::Session* updated);

  // Sends a warning about a session to its subscribers; false for an unknown session.
  bool Warn(const std::string& id, const std::string& reason, const std::string& message,
            int64_t seconds_left);

  // A new stream: the snapshot it starts with, and its queue of what follows.
  std::shared_ptr<Subscription> Subscribe(const std::string& user,
                                          streamspace::session::v1::SessionEvent* snapshot);

  std::size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;  // (createdAt, id)
  struct Activity {
    int active_connections = 0;
    std::string last_activity;
  };

  streamspace::session::v1::Session Write(const nlohmann::json& object, bool created);
  void UpsertLocked(SessionRecord record, bool only_if_newer);
  void RemoveLocked(const std::string& id);
  void RememberRemovedLocked(const std::string& id);
  void OverlayActivityLocked(SessionRecord& record) const;
  void PublishLocked(const char* type, const streamspace::session::v1::Session& session);
  void IndexLocked(const SessionRecord& record, bool add);

  SessionSink* const sink_;
  const std::size_t subscriber_limit_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, SessionRecord> records_;
  std::set<Key> order_;
  std::map<std::string, std::set<Key>> by_user_;
  std::unordered_map<std::string, std::string> user_ids_;
  std::unordered_map<std::string, Activity> activity_;
  // Sessions seen deleted, and when.
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> removed_;
  std::vector<std::weak_ptr<Subscription>> subscribers_;
  // Ids delivered since the current full list began.
  std::optional<std::unordered_set<std::string>> listing_;
  bool synced_ = false;
  std::condition_variable_any synced_changed_;
};

}  // namespace ss::session
