#include "session_mirror.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "core/log.h"
#include "db/query.h"

namespace ss::session {
namespace {

constexpr db::Query kUpsert{
    "session_mirror_upsert",
    "INSERT INTO session.sessions (id, username, user_id, template, state, phase, created_at, "
    "body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (id) DO UPDATE SET "
    "username = $2, user_id = $3, template = $4, state = $5, phase = $6, created_at = $7, "
    "body = $8::jsonb, mirrored_at = now()"};

constexpr db::Query kDelete{"session_mirror_delete",
                            "WITH gone AS (DELETE FROM session.activity WHERE id = $1) "
                            "DELETE FROM session.sessions WHERE id = $1"};

// Session names are DNS labels, so the array literal needs no quoting.
constexpr db::Query kRetain{
    "session_mirror_retain",
    "WITH gone AS (DELETE FROM session.activity WHERE NOT (id = ANY($1::text[]))) "
    "DELETE FROM session.sessions WHERE NOT (id = ANY($1::text[]))"};

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

std::vector<core::Variable> SessionMirrorVariables() {
  return {{"MIRROR_FLUSH_INTERVAL", "200ms",
           "Session changes are written to Postgres in one batch per interval."}};
}

std::chrono::milliseconds MirrorFlushIntervalFrom(const core::Config& config) {
  return config.GetDuration("MIRROR_FLUSH_INTERVAL", std::chrono::milliseconds(1));
}

SessionMirror::SessionMirror(db::Pool& pool, std::chrono::milliseconds flush_interval)
    : pool_(pool), flush_interval_(flush_interval) {}

SessionMirror::~SessionMirror() {
  Stop();
}

void SessionMirror::Upsert(const SessionRecord& record) {
  std::lock_guard lock(mutex_);
  pending_[record.session.name()] = record;
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
        db::Execute(tx, kRetain, ArrayLiteral(*retain));
      for (const auto& [id, state] : batch) {
        if (!state) {
          db::Execute(tx, kDelete, id);
          continue;
        }
        const auto& session = state->session;
        db::Execute(tx, kUpsert, id, session.user(), state->user_id, session.template_(),
                    session.state(), session.status().phase(), session.created_at(),
                    BodyJson(*state));
      }
      tx.commit();
    });
    return true;
  } catch (const std::exception& e) {
    spdlog::error("session mirror: {}", core::FirstLine(e.what()));
    return false;
  }
}

}  // namespace ss::session
