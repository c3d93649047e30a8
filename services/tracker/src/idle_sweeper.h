// The sweeper: every interval, on the one replica that holds the sweeper lease, marks connections
// without heartbeats stale, deletes connections that ended past their retention, then walks the
// running and hibernated sessions (ListSessions, paged, with the service identity) and applies the
// sweep rules: warn, hibernate, terminate. It also reports activity where the session service's
// numbers are behind the tracker's.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "activity_reporter.h"
#include "connection_store.h"
#include "core/config.h"
#include "core/periodic.h"
#include "session_peer.h"
#include "sweep_rules.h"
#include "sweeper_lease.h"

namespace ss::tracker {

struct SweeperOptions {
  std::chrono::milliseconds interval{30'000};
  SweepOptions rules;
  // Sessions asked for per ListSessions call.
  int page_size = 500;
  // Ended connections are deleted this long after they ended.
  std::chrono::milliseconds retention{std::chrono::hours(168)};
};

// SWEEP_INTERVAL, STALE_AFTER, CONNECTION_RETENTION and IDLE_WARNING_BEFORE, and the options from
// them.
std::vector<core::Variable> SweeperVariables();
SweeperOptions SweeperOptionsFrom(const core::Config& config);

class IdleSweeper {
 public:
  // Starts the sweeping thread (not owned objects must outlive it).
  IdleSweeper(ConnectionStore& store, SessionPeerPtr peer, ActivityReporter& reporter,
              SweeperLease& lease, SweeperOptions options);
  // Stops the thread and gives the lease up.
  ~IdleSweeper();
  IdleSweeper(const IdleSweeper&) = delete;
  IdleSweeper& operator=(const IdleSweeper&) = delete;

 private:
  // What this leader remembers between sweeps (forgotten when it stops leading).
  struct Memory {
    std::map<std::string, SentWarnings> sent;
    std::map<std::string, TimePoint> woke_at;
    // Sessions that were hibernated at the last complete sweep.
    std::set<std::string> hibernated;
  };

  // One round: hold the lease, then sweep while leading.
  void Tick();
  void Sweep();
  // Every session in `state`, page by page; false if a page could not be had.
  bool SweepState(const std::string& state, std::set<std::string>* seen);
  void SweepPage(const std::vector<streamspace::session::v1::Session>& sessions, bool running,
                 std::set<std::string>* seen);
  // True when the session has an active connection now, read again just before hibernating it:
  // a client may have connected after the page's activity was read.
  bool ConnectedSinceRead(const std::string& session_id);
  void Apply(const std::string& session_id, const SweepAction& action);

  ConnectionStore& store_;
  SessionPeerPtr peer_;
  ActivityReporter& reporter_;
  SweeperLease& lease_;
  SweeperOptions options_;
  // Only the poll's thread touches it.
  Memory memory_;
  core::Periodic poll_;
};

}  // namespace ss::tracker
