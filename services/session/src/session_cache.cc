#include "session_cache.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;

}  // namespace

std::vector<core::Variable> SessionCacheVariables() {
  return {{"WATCH_QUEUE_LIMIT", "10000",
           "Events a WatchSessions stream may fall behind before it is ended."}};
}

std::size_t WatchQueueLimitFrom(const core::Config& config) {
  return static_cast<std::size_t>(config.GetInt("WATCH_QUEUE_LIMIT", 1));
}

kube::WatcherOptions SessionWatchOptionsFrom(const core::Config& config) {
  kube::WatcherOptions options;
  options.ns = config.Get("NAMESPACE");
  return options;
}

SessionCache::SessionCache(SessionSink* sink, std::size_t subscriber_limit)
    : sink_(sink), subscriber_limit_(subscriber_limit) {}

void SessionCache::OnListStart() {
  std::unique_lock lock(mutex_);
  listing_.emplace();
}

void SessionCache::OnEvent(kube::WatchEventType type, const nlohmann::json& object) {
  SessionRecord record = FromResource(object);
  if (record.session.name().empty())
    return;
  std::unique_lock lock(mutex_);
  if (type == kube::WatchEventType::kDeleted) {
    RememberRemovedLocked(record.session.name());
    RemoveLocked(record.session.name());
    return;
  }
  if (listing_)
    listing_->insert(record.session.name());
  UpsertLocked(std::move(record), false);
}

void SessionCache::OnSynced() {
  {
    std::unique_lock lock(mutex_);
    if (listing_) {
      std::vector<std::string> gone;
      for (const auto& [id, record] : records_) {
        if (!listing_->count(id))
          gone.push_back(id);
      }
      for (const std::string& id : gone)
        RemoveLocked(id);
      listing_.reset();
      if (sink_ != nullptr) {
        std::vector<std::string> live;
        live.reserve(records_.size());
        for (const auto& [id, record] : records_)
          live.push_back(id);
        sink_->Retain(std::move(live));
      }
    }
    synced_ = true;
  }
  synced_changed_.notify_all();
}

void SessionCache::OnError(const kube::Error& error) {
  spdlog::warn("session watch: {}", error.ToString());
}

bool SessionCache::WaitSynced(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return synced_changed_.wait_for(lock, timeout, [this] { return synced_; });
}

bool SessionCache::synced() const {
  std::shared_lock lock(mutex_);
  return synced_;
}

std::optional<SessionRecord> SessionCache::Get(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const auto found = records_.find(id);
  if (found == records_.end())
    return std::nullopt;
  return found->second;
}

SessionPage SessionCache::List(const SessionQuery& query) const {
  std::shared_lock lock(mutex_);
  static const std::set<Key> kNone;
  const std::set<Key>* keys = &order_;
  if (!query.user.empty()) {
    const auto found = by_user_.find(query.user);
    keys = found == by_user_.end() ? &kNone : &found->second;
  }
  SessionPage page;
  const auto matches = [&](const Key& key) {
    return query.state.empty() || records_.at(key.second).session.state() == query.state;
  };
  if (query.state.empty()) {
    page.total = static_cast<int>(keys->size());
  } else {
    page.total = static_cast<int>(std::count_if(keys->begin(), keys->end(), matches));
  }
  auto it = query.after ? keys->upper_bound(Key{query.after->created_at, query.after->id})
                        : keys->begin();
  for (; it != keys->end(); ++it) {
    if (!matches(*it))
      continue;
    if (static_cast<int>(page.sessions.size()) == query.limit) {
      const pb::Session& last = page.sessions.back();
      page.next = PageCursor{last.created_at(), last.name()};
      break;
    }
    page.sessions.push_back(records_.at(it->second).session);
  }
  return page;
}

std::optional<std::string> SessionCache::UsernameOf(const std::string& user_id) const {
  std::shared_lock lock(mutex_);
  const auto found = user_ids_.find(user_id);
  if (found == user_ids_.end())
    return std::nullopt;
  return found->second;
}

bool SessionCache::HomeInUse(const std::string& user, const std::string& except) const {
  std::shared_lock lock(mutex_);
  const auto found = by_user_.find(user);
  if (found == by_user_.end())
    return false;
  return std::any_of(found->second.begin(), found->second.end(), [&](const Key& key) {
    return key.second != except && records_.at(key.second).session.persistent_home();
  });
}

std::vector<pb::Session> SessionCache::OfUser(const std::string& user) const {
  std::shared_lock lock(mutex_);
  std::vector<pb::Session> sessions;
  if (const auto found = by_user_.find(user); found != by_user_.end()) {
    sessions.reserve(found->second.size());
    for (const Key& key : found->second)
      sessions.push_back(records_.at(key.second).session);
  }
  return sessions;
}

bool SessionCache::Seen(const std::string& id) const {
  std::shared_lock lock(mutex_);
  if (records_.count(id))
    return true;
  const auto removed = removed_.find(id);
  return removed != removed_.end() &&
         std::chrono::steady_clock::now() - removed->second <= kRemovedMemory;
}

pb::Session SessionCache::Apply(const nlohmann::json& object) {
  return Write(object, false);
}

pb::Session SessionCache::ApplyCreated(const nlohmann::json& object) {
  return Write(object, true);
}

pb::Session SessionCache::Write(const nlohmann::json& object, bool created) {
  SessionRecord record = FromResource(object);
  const std::string id = record.session.name();
  std::unique_lock lock(mutex_);
  // A session the cache does not hold (any more) is not brought back by a late write-back: the
  // watch delivered its deletion.
  if (created || records_.contains(id)) {
    if (listing_)
      listing_->insert(id);
    UpsertLocked(std::move(record), true);
  }
  const auto found = records_.find(id);
  return found == records_.end() ? FromResource(object).session : found->second.session;
}

bool SessionCache::SetActivity(const std::string& id, int active_connections,
                               const std::string& last_activity, pb::Session* updated) {
  std::unique_lock lock(mutex_);
  const auto found = records_.find(id);
  if (found == records_.end())
    return false;
  Activity& activity = activity_[id];
  activity.active_connections = active_connections;
  if (last_activity > activity.last_activity)
    activity.last_activity = last_activity;
  SessionRecord& record = found->second;
  const int before_connections = record.session.active_connections();
  const std::string before_activity = record.session.status().last_activity();
  OverlayActivityLocked(record);
  *updated = record.session;
  if (before_connections != record.session.active_connections() ||
      before_activity != record.session.status().last_activity()) {
    if (sink_ != nullptr)
      sink_->Upsert(record);
    PublishLocked("modified", record.session);
  }
  return true;
}

bool SessionCache::Warn(const std::string& id, const std::string& reason,
                        const std::string& message, int64_t seconds_left) {
  std::unique_lock lock(mutex_);
  const auto found = records_.find(id);
  if (found == records_.end())
    return false;
  pb::SessionEvent event;
  event.set_type("warning");
  *event.mutable_session() = found->second.session;
  event.set_reason(reason);
  event.set_message(message);
  event.set_seconds_left(seconds_left);
  for (const auto& weak : subscribers_) {
    if (auto subscriber = weak.lock(); subscriber && subscriber->Wants(event.session()))
      subscriber->Push(event);
  }
  return true;
}

std::shared_ptr<Subscription> SessionCache::Subscribe(const std::string& user,
                                                      pb::SessionEvent* snapshot) {
  auto subscription = std::make_shared<Subscription>(user, subscriber_limit_);
  std::unique_lock lock(mutex_);
  snapshot->set_type("snapshot");
  for (const Key& key : order_) {
    const pb::Session& session = records_.at(key.second).session;
    if (subscription->Wants(session))
      *snapshot->add_sessions() = session;
  }
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [](const auto& weak) { return weak.expired(); }),
                     subscribers_.end());
  subscribers_.push_back(subscription);
  return subscription;
}

std::size_t SessionCache::size() const {
  std::shared_lock lock(mutex_);
  return records_.size();
}

void SessionCache::UpsertLocked(SessionRecord record, bool only_if_newer) {
  const std::string id = record.session.name();
  const auto found = records_.find(id);
  const bool existed = found != records_.end();
  if (existed) {
    if (found->second.resource_version == record.resource_version)
      return;
    if (only_if_newer && !NewerVersion(record.resource_version, found->second.resource_version))
      return;
  }
  OverlayActivityLocked(record);
  if (existed)
    IndexLocked(found->second, false);
  IndexLocked(record, true);
  SessionRecord& stored = records_[id] = std::move(record);
  if (sink_ != nullptr)
    sink_->Upsert(stored);
  PublishLocked(existed ? "modified" : "added", stored.session);
}

void SessionCache::RememberRemovedLocked(const std::string& id) {
  const auto now = std::chrono::steady_clock::now();
  removed_[id] = now;
  if (removed_.size() > 1024) {
    std::erase_if(removed_,
                  [now](const auto& entry) { return now - entry.second > kRemovedMemory; });
  }
}

void SessionCache::RemoveLocked(const std::string& id) {
  const auto found = records_.find(id);
  if (found == records_.end())
    return;
  RememberRemovedLocked(id);
  SessionRecord record = std::move(found->second);
  IndexLocked(record, false);
  records_.erase(found);
  activity_.erase(id);
  if (sink_ != nullptr)
    sink_->Remove(id);
  PublishLocked("deleted", record.session);
}

void SessionCache::OverlayActivityLocked(SessionRecord& record) const {
  const auto found = activity_.find(record.session.name());
  if (found == activity_.end())
    return;
  record.session.set_active_connections(found->second.active_connections);
  if (found->second.last_activity > record.session.status().last_activity())
    record.session.mutable_status()->set_last_activity(found->second.last_activity);
}

void SessionCache::PublishLocked(const char* type, const pb::Session& session) {
  pb::SessionEvent event;
  bool made = false;
  for (const auto& weak : subscribers_) {
    auto subscriber = weak.lock();
    if (!subscriber || !subscriber->Wants(session))
      continue;
    if (!made) {
      event.set_type(type);
      *event.mutable_session() = session;
      made = true;
    }
    subscriber->Push(event);
  }
}

void SessionCache::IndexLocked(const SessionRecord& record, bool add) {
  const Key key{record.session.created_at(), record.session.name()};
  if (add) {
    order_.insert(key);
    by_user_[record.session.user()].insert(key);
    if (!record.user_id.empty())
      user_ids_[record.user_id] = record.session.user();
    return;
  }
  order_.erase(key);
  const auto user = by_user_.find(record.session.user());
  if (user != by_user_.end()) {
    user->second.erase(key);
    if (user->second.empty())
      by_user_.erase(user);
  }
}

}  // namespace ss::session
