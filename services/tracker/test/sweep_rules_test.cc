#include "sweep_rules.h"

#include <catch2/catch.hpp>

namespace ss::tracker {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kCreated = TimePoint(hours(480'000));

SweepOptions Options() {
  SweepOptions options;
  options.stale_after = seconds(60);
  options.warning_before = minutes(2);
  return options;
}

SessionFacts Session(Millis idle = minutes(30), Millis max = hours(8)) {
  SessionFacts session;
  session.id = "alice-firefox-0a1b2c3d";
  session.idle_timeout = idle;
  session.max_duration = max;
  session.created_at = kCreated;
  return session;
}

std::vector<ActionKind> Kinds(const std::vector<SweepAction>& actions) {
  std::vector<ActionKind> kinds;
  for (const auto& action : actions)
    kinds.push_back(action.kind);
  return kinds;
}

}  // namespace

TEST_CASE("an active connection keeps a session from hibernating") {
  ConnectionActivity activity;
  activity.active = 1;
  activity.last_closed = kCreated + minutes(1);
  CHECK(DecideSweep(Session(), activity, {}, kCreated + hours(2), Options()).empty());
  CHECK_FALSE(IdleSince(Session(), activity, seconds(60)).has_value());
}

TEST_CASE("a session never connected is idle since it was created") {
  const SessionFacts session = Session();
  CHECK(DecideSweep(session, {}, {}, kCreated + minutes(27), Options()).empty());
  const auto warn = DecideSweep(session, {}, {}, kCreated + minutes(28), Options());
  REQUIRE(warn.size() == 1);
  CHECK(warn[0].kind == ActionKind::kWarnIdle);
  CHECK(warn[0].seconds_left == 120);
  CHECK(warn[0].deadline == kCreated + minutes(30));
  SentWarnings sent;
  sent.idle_deadline = kCreated + minutes(30);
  CHECK(Kinds(DecideSweep(session, {}, sent, kCreated + minutes(30), Options())) ==
        std::vector<ActionKind>{ActionKind::kHibernate});
}

TEST_CASE("a warning that no sweep could send goes out just before the session hibernates") {
  const SessionFacts session = Session();
  const auto late = DecideSweep(session, {}, {}, kCreated + minutes(31), Options());
  CHECK(Kinds(late) == std::vector<ActionKind>{ActionKind::kWarnIdle, ActionKind::kHibernate});
  CHECK(late[0].seconds_left == 0);
  SweepOptions silent = Options();
  silent.warning_before = Millis(0);
  CHECK(Kinds(DecideSweep(session, {}, {}, kCreated + minutes(31), silent)) ==
        std::vector<ActionKind>{ActionKind::kHibernate});
  CHECK(
      Kinds(DecideSweep(Session(minutes(30), hours(1)), {}, {}, kCreated + hours(1), Options())) ==
      std::vector<ActionKind>{ActionKind::kWarnMaxDuration, ActionKind::kTerminate});
}

TEST_CASE("idle time counts from the last disconnect or the loss of a stale connection") {
  const SessionFacts session = Session();
  ConnectionActivity closed;
  closed.last_closed = kCreated + hours(1);
  CHECK(IdleSince(session, closed, seconds(60)) == kCreated + hours(1));
  CHECK(DecideSweep(session, closed, {}, kCreated + hours(1) + minutes(29), Options())[0].kind ==
        ActionKind::kWarnIdle);
  CHECK(
      DecideSweep(session, closed, {}, kCreated + hours(1) + minutes(30), Options()).back().kind ==
      ActionKind::kHibernate);

  ConnectionActivity stale;
  stale.last_stale_heartbeat = kCreated + hours(1);
  stale.last_closed = kCreated + minutes(30);
  CHECK(IdleSince(session, stale, seconds(60)) == kCreated + hours(1) + seconds(60));
  CHECK(DecideSweep(session, stale, {}, kCreated + hours(1) + minutes(30), Options())[0].kind ==
        ActionKind::kWarnIdle);
  CHECK(DecideSweep(session, stale, {}, kCreated + hours(1) + minutes(31), Options()).back().kind ==
        ActionKind::kHibernate);
}

TEST_CASE("a wake or a later reported activity starts a fresh idle period") {
  SessionFacts session = Session();
  session.woke_at = kCreated + hours(3);
  CHECK(DecideSweep(session, {}, {}, kCreated + hours(3) + minutes(10), Options()).empty());
  session.woke_at.reset();
  session.last_activity = kCreated + hours(3);
  CHECK(DecideSweep(session, {}, {}, kCreated + hours(3) + minutes(10), Options()).empty());
  CHECK(DecideSweep(session, {}, {}, kCreated + hours(3) + minutes(30), Options()).back().kind ==
        ActionKind::kHibernate);
}

TEST_CASE("a warning goes out once per deadline") {
  const SessionFacts session = Session();
  SentWarnings sent;
  sent.idle_deadline = kCreated + minutes(30);
  CHECK(DecideSweep(session, {}, sent, kCreated + minutes(29), Options()).empty());
  ConnectionActivity later;
  later.last_closed = kCreated + hours(1);
  const auto again =
      DecideSweep(session, later, sent, kCreated + hours(1) + minutes(29), Options());
  REQUIRE(again.size() == 1);
  CHECK(again[0].deadline == kCreated + hours(1) + minutes(30));
}

TEST_CASE("the warning lead time is clamped to the timeout") {
  const SessionFacts session = Session(seconds(30), Millis(0));
  const auto at_start = DecideSweep(session, {}, {}, kCreated, Options());
  REQUIRE(at_start.size() == 1);
  CHECK(at_start[0].kind == ActionKind::kWarnIdle);
  CHECK(at_start[0].seconds_left == 30);
  const auto fraction = DecideSweep(session, {}, {}, kCreated + Millis(100), Options());
  CHECK(fraction[0].seconds_left == 30);
}

TEST_CASE("past its maximum duration a session ends, whatever its connections") {
  SessionFacts session = Session(minutes(30), hours(8));
  ConnectionActivity active;
  active.active = 2;
  CHECK(DecideSweep(session, active, {}, kCreated + hours(7), Options()).empty());
  const auto warn = DecideSweep(session, active, {}, kCreated + hours(8) - seconds(90), Options());
  REQUIRE(warn.size() == 1);
  CHECK(warn[0].kind == ActionKind::kWarnMaxDuration);
  CHECK(warn[0].seconds_left == 90);
  SentWarnings sent;
  sent.max_duration_deadline = kCreated + hours(8);
  CHECK(DecideSweep(session, active, sent, kCreated + hours(8) - seconds(30), Options()).empty());
  CHECK(Kinds(DecideSweep(session, {}, sent, kCreated + hours(9), Options())) ==
        std::vector<ActionKind>{ActionKind::kTerminate});
  session.running = false;
  CHECK(Kinds(DecideSweep(session, {}, sent, kCreated + hours(9), Options())) ==
        std::vector<ActionKind>{ActionKind::kTerminate});
}

TEST_CASE("both warnings can be due in one sweep, the end's first") {
  const SessionFacts session = Session(minutes(5), minutes(10));
  ConnectionActivity closed;
  closed.last_closed = kCreated + minutes(4);
  const auto actions =
      DecideSweep(session, closed, {}, kCreated + minutes(8) + seconds(30), Options());
  CHECK(Kinds(actions) ==
        std::vector<ActionKind>{ActionKind::kWarnMaxDuration, ActionKind::kWarnIdle});
  SentWarnings sent;
  sent.idle_deadline = kCreated + minutes(9);
  CHECK(Kinds(DecideSweep(session, closed, sent, kCreated + minutes(9) + seconds(1), Options())) ==
        std::vector<ActionKind>{ActionKind::kWarnMaxDuration, ActionKind::kHibernate});
}

TEST_CASE("hibernated sessions do not hibernate again; absent timeouts never apply") {
  SessionFacts session = Session();
  session.running = false;
  CHECK(DecideSweep(session, {}, {}, kCreated + hours(2), Options()).empty());
  SessionFacts unlimited = Session(Millis(0), Millis(0));
  unlimited.idle_timeout.reset();
  CHECK(DecideSweep(unlimited, {}, {}, kCreated + hours(10'000), Options()).empty());
}

TEST_CASE("heartbeats answer the time left before hibernation") {
  const TimePoint now = kCreated + hours(1);
  CHECK(IdleSecondsLeft(now, seconds(60), minutes(30), now) == 1860);
  CHECK(IdleSecondsLeft(now - seconds(10), seconds(60), minutes(30), now) == 1850);
  CHECK(IdleSecondsLeft(now - hours(1), seconds(60), minutes(30), now) == 0);
  CHECK(IdleSecondsLeft(now, seconds(2), Millis(1500), now - Millis(400)) == 4);
}

TEST_CASE("session durations parse like Go's") {
  CHECK(ParseSessionDuration("30m") == minutes(30));
  CHECK(ParseSessionDuration("1h30m") == minutes(90));
  CHECK(ParseSessionDuration("45s") == seconds(45));
  CHECK(ParseSessionDuration("1s") == seconds(1));
  CHECK(ParseSessionDuration("8760h") == hours(8760));
  CHECK(ParseSessionDuration("5") == seconds(5));
  // Bounded like the session service: a huge value would overflow clock arithmetic.
  for (const char* text :
       {"", "forever", "-5m", "1d", "m", "500ms", "0s", "8760h1s", "2562047h", "9999999999999h"}) {
    INFO(text);
    CHECK_FALSE(ParseSessionDuration(text).has_value());
  }
}

}  // namespace ss::tracker
