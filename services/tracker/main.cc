// tracker-service: wiring only. The logic lives in src/ (ConnectionTracker, IdleSweeper, the
// sweep rules), the SQL in the store, the schema in migrations/.
#include "activity_reporter.h"
#include "authn/remote.h"
#include "connection_store.h"
#include "connection_tracker.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "grpc_service.h"
#include "idle_sweeper.h"
#include "rpc/audit.h"
#include "rpc/server.h"
#include "session_peer.h"
#include "sweeper_lease.h"

namespace ss::tracker {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

int Run(int argc, char** argv) {
  const core::Config config = core::StartProcess(
      "tracker-service", "StreamSpace tracker: connections, heartbeats, the idle sweeper.",
      core::JoinVariables({rpc::ServerVariables(9103, "127.0.0.1:9003", 64, ""),
                           db::DatabaseVariables("tracker"), authn::AuthnVariables(),
                           SessionPeerVariables(), SweeperVariables()}),
      argc, argv);
  const SweeperOptions sweeper_options = SweeperOptionsFrom(config);

  const db::PoolPtr pool = db::OpenAndMigrate(config, "tracker", Migrations());
  ConnectionStore store(*pool);
  authn::RemoteVerifier remote(config, "tracker");
  const SessionPeerPtr peer = SessionPeerFrom(config, remote.credentials());
  ActivityReporter reporter(peer, ActivityFrom(store));
  ConnectionTracker tracker(store, reporter, peer, sweeper_options.rules.stale_after);
  SweeperLease lease(db::ConnInfo(config));
  IdleSweeper sweeper(store, peer, reporter, lease, sweeper_options);

  TrackerGrpcService service(remote.verifier(), rpc::AuditorFor(remote), tracker);
  rpc::ServeUntilSignal(config, "tracker-service", {&service});
  return 0;
}

}  // namespace
}  // namespace ss::tracker

int main(int argc, char** argv) {
  return ss::core::RunMain("tracker-service", argc, argv, ss::tracker::Run);
}
