// What the sweeper does to one session, decided from plain values (no database, no RPC), so that
// every rule is unit-tested: hibernate a running session that nobody used for its idle timeout,
// end one past its maximum duration, and warn once a while before either.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ss::tracker {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

struct SweepOptions {
  // A connection without a heartbeat for this long is stale (no longer counts as active).
  Millis stale_after{60'000};
  // How long before hibernation or the end a `warning` goes out (at most the timeout itself).
  Millis warning_before{120'000};
};

// A session as the session service lists it, with the durations parsed.
struct SessionFacts {
  std::string id;
  // Desired state: only a running session hibernates; running and hibernated ones end.
  bool running = true;
  // Absent or zero: the rule does not apply.
  std::optional<Millis> idle_timeout;
  std::optional<Millis> max_duration;
  TimePoint created_at;
  // status.lastActivity, if the session carries one.
  std::optional<TimePoint> last_activity;
  // When this sweeper saw it go from hibernated to running (the wake starts a fresh idle period).
  std::optional<TimePoint> woke_at;
};

// The tracker's connections of one session.
struct ConnectionActivity {
  int active = 0;
  // Latest heartbeat of a stale connection (it was lost stale_after later).
  std::optional<TimePoint> last_stale_heartbeat;
  // Latest disconnect.
  std::optional<TimePoint> last_closed;
};

// Warnings already sent for a session, by the deadline they announced.
struct SentWarnings {
  std::optional<TimePoint> idle_deadline;
  std::optional<TimePoint> max_duration_deadline;
};

enum class ActionKind { kWarnIdle, kHibernate, kWarnMaxDuration, kTerminate };

struct SweepAction {
  ActionKind kind;
  // The moment the session hibernates or ends.
  TimePoint deadline;
  // Whole seconds until then (rounded up); 0 once it is due.
  long long seconds_left = 0;
  bool operator==(const SweepAction& other) const {
    return kind == other.kind && deadline == other.deadline && seconds_left == other.seconds_left;
  }
};

// Since when a session with no active connection has been unused: the latest of its creation,
// its last activity, its wake, its last disconnect and the loss of its last stale connection.
// nullopt while a connection is active.
std::optional<TimePoint> IdleSince(const SessionFacts& session, const ConnectionActivity& activity,
                                   Millis stale_after);

// The actions due now, warnings first. Terminate excludes hibernation; a warning already sent
// for the same deadline is not repeated, and one that no sweep had the chance to send goes out
// (0 seconds left) right before its hibernation or end.
std::vector<SweepAction> DecideSweep(const SessionFacts& session,
                                     const ConnectionActivity& activity, const SentWarnings& sent,
                                     TimePoint now, const SweepOptions& options);

// Seconds before a session hibernates if heartbeats stop after `last_heartbeat`
// (last heartbeat + stale_after + idle timeout - now), never negative.
long long IdleSecondsLeft(TimePoint last_heartbeat, Millis stale_after, Millis idle_timeout,
                          TimePoint now);

// A Go-style duration ("30m", "1h30m") from 1s to 8760h, as the session service accepts;
// nullopt for anything else.
std::optional<Millis> ParseSessionDuration(const std::string& text);

}  // namespace ss::tracker
