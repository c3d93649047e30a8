#include "idle_sweeper.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/rfc3339.h"
#include "metrics/registry.h"
#include "validation.h"

namespace ss::tracker {
namespace {

namespace pb = streamspace::session::v1;

// Stops a paging loop that never ends (a peer that keeps answering the same token).
constexpr int kMaxPages = 100'000;
// Ended connections deleted per sweep at most (a backlog drains over several sweeps).
constexpr int kPruneBatch = 10'000;

metrics::Counter& Counter(const std::string& name, const std::string& help,
                          const metrics::Labels& labels = {}) {
  return metrics::Registry::Default().GetCounter(name, help, labels);
}

metrics::Gauge& Leading() {
  return metrics::Registry::Default().GetGauge(
      "tracker_sweeper_leader", "1 while this replica holds the sweeper lease, else 0.", {});
}

metrics::Counter& Sweeps() {
  return Counter("tracker_sweeps_total", "Sweeps run by this replica (it held the sweeper lease).");
}

std::optional<TimePoint> TimeOf(const std::optional<int64_t>& ms) {
  if (!ms)
    return std::nullopt;
  return TimePoint(Millis(*ms));
}

std::optional<Millis> DurationOf(const std::string& text) {
  if (text.empty())
    return std::nullopt;
  return ParseSessionDuration(text);
}

// True when the session service's numbers are behind ours.
bool ActivityBehind(const pb::Session& session, const SessionActivity& activity) {
  if (session.active_connections() != activity.active)
    return true;
  if (!activity.last_activity_ms)
    return false;
  const auto reported = core::ParseRfc3339(session.status().last_activity());
  const auto ours =
      std::chrono::floor<std::chrono::seconds>(TimePoint(Millis(*activity.last_activity_ms)));
  return !reported || std::chrono::floor<std::chrono::seconds>(*reported) < ours;
}

std::string WarningMessage(const std::string& session_id, const SweepAction& action) {
  const std::string when =
      action.seconds_left > 0 ? fmt::format("in {}s", action.seconds_left) : "now";
  if (action.kind == ActionKind::kWarnIdle)
    return fmt::format("Session {} is idle and hibernates {}.", session_id, when);
  return fmt::format("Session {} reaches its maximum duration and ends {}.", session_id, when);
}

const char* ReasonOf(ActionKind kind) {
  return kind == ActionKind::kWarnIdle ? "idle" : "max-duration";
}

}  // namespace

std::vector<core::Variable> SweeperVariables() {
  return {
      {"SWEEP_INTERVAL", "30s", "How often the sweeper runs (on one replica at a time)."},
      {"STALE_AFTER", "60s", "A connection without a heartbeat for this long is stale."},
      {"CONNECTION_RETENTION", "168h",
       "How long ended connections (closed, or stale and never back) stay listed."},
      {"IDLE_WARNING_BEFORE", "2m",
       "How long before an idle session hibernates (or one reaches its maximum duration) a "
       "warning goes to its watchers; at most the session's timeout."},
  };
}

SweeperOptions SweeperOptionsFrom(const core::Config& config) {
  constexpr std::chrono::milliseconds kPositive{1};
  SweeperOptions options;
  options.interval = config.GetDuration("SWEEP_INTERVAL", kPositive);
  options.rules.stale_after = config.GetDuration("STALE_AFTER", kPositive);
  options.rules.warning_before = config.GetDuration("IDLE_WARNING_BEFORE");
  options.retention = config.GetDuration("CONNECTION_RETENTION", kPositive);
  return options;
}

IdleSweeper::IdleSweeper(ConnectionStore& store, SessionPeerPtr peer, ActivityReporter& reporter,
                         SweeperLease& lease, SweeperOptions options)
    : store_(store),
      peer_(std::move(peer)),
      reporter_(reporter),
      lease_(lease),
      options_(options),
      poll_(options.interval, [this] { Tick(); }) {
  poll_.Start();
}

IdleSweeper::~IdleSweeper() {
  poll_.Stop();
  lease_.Release();
}

void IdleSweeper::Tick() {
  const bool leading = lease_.Hold();
  Leading().Set(leading ? 1 : 0);
  if (!leading) {
    memory_ = Memory{};
    return;
  }
  try {
    Sweep();
    Sweeps().Inc();
  } catch (const std::exception& e) {
    spdlog::warn("sweep failed: {}", e.what());
  }
}

void IdleSweeper::Sweep() {
  const std::vector<std::string> stale = store_.MarkStale(options_.rules.stale_after.count());
  for (const std::string& session_id : stale) {
    spdlog::info("session {}: connections without heartbeats are stale", session_id);
    reporter_.Changed(session_id);
  }
  if (const int pruned = store_.PruneEnded(options_.retention.count(), kPruneBatch); pruned > 0)
    spdlog::info("sweep: deleted {} connections that ended over the retention ago", pruned);
  std::set<std::string> running, hibernated;
  const bool complete = SweepState("running", &running) && SweepState("hibernated", &hibernated);
  if (!complete)
    return;
  memory_.hibernated = std::move(hibernated);
  const auto known = [&](const std::string& id) {
    return running.count(id) > 0 || memory_.hibernated.count(id) > 0;
  };
  for (auto it = memory_.sent.begin(); it != memory_.sent.end();)
    it = known(it->first) ? std::next(it) : memory_.sent.erase(it);
  for (auto it = memory_.woke_at.begin(); it != memory_.woke_at.end();)
    it = running.count(it->first) > 0 ? std::next(it) : memory_.woke_at.erase(it);
}

bool IdleSweeper::SweepState(const std::string& state, std::set<std::string>* seen) {
  pb::ListSessionsRequest request;
  request.set_state(state);
  request.set_page_size(options_.page_size);
  for (int page = 0; page < kMaxPages; ++page) {
    pb::ListSessionsResponse response;
    const grpc::Status status = peer_->ListSessions(request, &response);
    if (!status.ok()) {
      spdlog::warn("sweep: listing {} sessions failed: {}", state, status.error_message());
      return false;
    }
    SweepPage({response.sessions().begin(), response.sessions().end()}, state == "running", seen);
    if (response.next_page_token().empty() || response.next_page_token() == request.page_token()) {
      return true;
    }
    request.set_page_token(response.next_page_token());
  }
  return false;
}

void IdleSweeper::SweepPage(const std::vector<pb::Session>& sessions, bool running,
                            std::set<std::string>* seen) {
  std::vector<std::string> ids;
  for (const pb::Session& session : sessions) {
    if (IsSessionId(session.name()))
      ids.push_back(session.name());
  }
  if (ids.empty())
    return;
  int64_t now_ms = 0;
  const std::map<std::string, SessionActivity> activity = store_.Activity(ids, &now_ms);
  const TimePoint now{Millis(now_ms)};
  for (const pb::Session& session : sessions) {
    const auto created_at = core::ParseRfc3339(session.created_at());
    if (!IsSessionId(session.name()) || !created_at || seen->count(session.name()) > 0)
      continue;
    seen->insert(session.name());
    if (running && memory_.hibernated.erase(session.name()) > 0)
      memory_.woke_at[session.name()] = now;
    SessionFacts facts;
    facts.id = session.name();
    facts.running = running;
    facts.idle_timeout = DurationOf(session.idle_timeout());
    facts.max_duration = DurationOf(session.max_session_duration());
    facts.created_at = *created_at;
    facts.last_activity = core::ParseRfc3339(session.status().last_activity());
    if (auto woke = memory_.woke_at.find(session.name()); woke != memory_.woke_at.end())
      facts.woke_at = woke->second;
    const auto found = activity.find(session.name());
    const SessionActivity current = found == activity.end() ? SessionActivity{} : found->second;
    ConnectionActivity connections;
    connections.active = current.active;
    connections.last_stale_heartbeat = TimeOf(current.last_stale_heartbeat_ms);
    connections.last_closed = TimeOf(current.last_closed_ms);
    if (ActivityBehind(session, current))
      reporter_.Changed(session.name());
    for (const SweepAction& action :
         DecideSweep(facts, connections, memory_.sent[session.name()], now, options_.rules)) {
      Apply(session.name(), action);
    }
  }
}

bool IdleSweeper::ConnectedSinceRead(const std::string& session_id) {
  int64_t now_ms = 0;
  const std::map<std::string, SessionActivity> activity = store_.Activity({session_id}, &now_ms);
  const auto found = activity.find(session_id);
  return found != activity.end() && found->second.active > 0;
}

void IdleSweeper::Apply(const std::string& session_id, const SweepAction& action) {
  if (action.kind == ActionKind::kWarnIdle || action.kind == ActionKind::kWarnMaxDuration) {
    const char* reason = ReasonOf(action.kind);
    pb::NotifySessionRequest request;
    request.set_session_id(session_id);
    request.set_reason(reason);
    request.set_seconds_left(action.seconds_left);
    request.set_message(WarningMessage(session_id, action));
    const grpc::Status status = peer_->Notify(request);
    if (!status.ok()) {
      spdlog::warn("session {}: {} warning not sent: {}", session_id, reason,
                   status.error_message());
      return;
    }
    SentWarnings& sent = memory_.sent[session_id];
    (action.kind == ActionKind::kWarnIdle ? sent.idle_deadline : sent.max_duration_deadline) =
        action.deadline;
    Counter("tracker_warnings_total", "Warnings sent before hibernation or the end of a session.",
            {{"reason", reason}})
        .Inc();
    spdlog::info("session {}: {} warning sent ({}s left)", session_id, reason, action.seconds_left);
    return;
  }
  const bool hibernate = action.kind == ActionKind::kHibernate;
  if (hibernate && ConnectedSinceRead(session_id)) {
    spdlog::info("session {}: not hibernated, a client connected during the sweep", session_id);
    return;
  }
  const std::string state = hibernate ? "hibernated" : "terminated";
  const grpc::Status status = peer_->SetState(session_id, state);
  if (!status.ok()) {
    spdlog::warn("session {}: could not set state {}: {}", session_id, state,
                 status.error_message());
    return;
  }
  spdlog::info("session {} {} ({})", session_id, state,
               hibernate ? "idle" : "past its maximum duration");
  Counter("tracker_sessions_swept_total", "Sessions hibernated or terminated by the sweeper.",
          {{"state", state}})
      .Inc();
  memory_.sent.erase(session_id);
  memory_.woke_at.erase(session_id);
  if (hibernate)
    memory_.hibernated.insert(session_id);
  // A lost connection of a session that no longer runs cannot come back with a heartbeat: the
  // client connects again, which wakes the session.
  if (store_.CloseSession(session_id))
    reporter_.Changed(session_id);
}

}  // namespace ss::tracker
