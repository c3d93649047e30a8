#include "sweep_rules.h"

#include <algorithm>

#include "core/config.h"

namespace ss::tracker {
namespace {

bool Applies(const std::optional<Millis>& duration) {
  return duration && duration->count() > 0;
}

long long SecondsUntil(TimePoint deadline, TimePoint now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(deadline - now).count();
  return std::max<long long>(left, 0);
}

// A warning when `now` is within the lead time before `deadline` and it was not sent yet.
std::optional<SweepAction> Warning(ActionKind kind, TimePoint deadline, Millis timeout,
                                   const std::optional<TimePoint>& already_sent, TimePoint now,
                                   const SweepOptions& options) {
  const Millis lead = std::min(options.warning_before, timeout);
  if (now < deadline - lead || already_sent == deadline)
    return std::nullopt;
  return SweepAction{kind, deadline, SecondsUntil(deadline, now)};
}

// A deadline reached without its warning (no sweep fell within the lead time): the warning still
// goes out, just before the session hibernates or ends.
bool Late(TimePoint deadline, const std::optional<TimePoint>& already_sent,
          const SweepOptions& options) {
  return options.warning_before.count() > 0 && already_sent != deadline;
}

}  // namespace

std::optional<TimePoint> IdleSince(const SessionFacts& session, const ConnectionActivity& activity,
                                   Millis stale_after) {
  if (activity.active > 0)
    return std::nullopt;
  TimePoint since = session.created_at;
  for (const auto& candidate :
       {session.last_activity, session.woke_at, activity.last_closed,
        activity.last_stale_heartbeat
            ? std::optional<TimePoint>(*activity.last_stale_heartbeat + stale_after)
            : std::nullopt}) {
    if (candidate)
      since = std::max(since, *candidate);
  }
  return since;
}

std::vector<SweepAction> DecideSweep(const SessionFacts& session,
                                     const ConnectionActivity& activity, const SentWarnings& sent,
                                     TimePoint now, const SweepOptions& options) {
  std::vector<SweepAction> actions;
  if (Applies(session.max_duration)) {
    const TimePoint end = session.created_at + *session.max_duration;
    if (now >= end) {
      if (Late(end, sent.max_duration_deadline, options))
        actions.push_back(SweepAction{ActionKind::kWarnMaxDuration, end, 0});
      actions.push_back(SweepAction{ActionKind::kTerminate, end, 0});
      return actions;
    }
    if (auto warning = Warning(ActionKind::kWarnMaxDuration, end, *session.max_duration,
                               sent.max_duration_deadline, now, options)) {
      actions.push_back(*warning);
    }
  }
  if (!session.running || !Applies(session.idle_timeout))
    return actions;
  const std::optional<TimePoint> idle_since = IdleSince(session, activity, options.stale_after);
  if (!idle_since)
    return actions;
  const TimePoint hibernate_at = *idle_since + *session.idle_timeout;
  if (now >= hibernate_at) {
    if (Late(hibernate_at, sent.idle_deadline, options))
      actions.push_back(SweepAction{ActionKind::kWarnIdle, hibernate_at, 0});
    actions.push_back(SweepAction{ActionKind::kHibernate, hibernate_at, 0});
  } else if (auto warning = Warning(ActionKind::kWarnIdle, hibernate_at, *session.idle_timeout,
                                    sent.idle_deadline, now, options)) {
    actions.push_back(*warning);
  }
  return actions;
}

long long IdleSecondsLeft(TimePoint last_heartbeat, Millis stale_after, Millis idle_timeout,
                          TimePoint now) {
  return SecondsUntil(last_heartbeat + stale_after + idle_timeout, now);
}

std::optional<Millis> ParseSessionDuration(const std::string& text) {
  if (text.size() > 32)
    return std::nullopt;
  try {
    const Millis value = core::ParseDuration(text);
    if (value < std::chrono::seconds(1) || value > std::chrono::hours(8760))
      return std::nullopt;
    return value;
  } catch (const core::ConfigError&) {
    return std::nullopt;
  }
}

}  // namespace ss::tracker
