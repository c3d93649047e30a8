// tracker-service: wiring only. The logic lives in src/ (ConnectionTracker, IdleSweeper, the
// sweep rules), the SQL in the store, the schema in migrations/.
#include <spdlog/spdlog.h>

#include "activity_reporter.h"
#include "authn/remote.h"
#include "connection_store.h"
#include "connection_tracker.h"
#include "core/config.h"
#include "core/log.h"
#include "core/rfc3339.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "db/pool.h"
#include "grpc_service.h"
#include "idle_sweeper.h"
#include "rpc/server.h"
#include "session_peer.h"
#include "sweeper_lease.h"

namespace ss::tracker {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

std::vector<core::Variable> Variables() {
  std::vector<core::Variable> variables = core::ProcessVariables(9103);
  for (auto& variable : rpc::ServerVariables("127.0.0.1:9003", 64, "")) {
    variables.push_back(std::move(variable));
  }
  for (auto& list : {db::DatabaseVariables("tracker"), authn::AuthnVariables()}) {
    variables.insert(variables.end(), list.begin(), list.end());
  }
  variables.insert(
      variables.end(),
      {
          {"SESSION_ADDR", "127.0.0.1:9002",
           "gRPC address of the session service (hibernate, terminate, warnings, activity)."},
          {"SWEEP_INTERVAL", "30s", "How often the sweeper runs (on one replica at a time)."},
          {"STALE_AFTER", "60s", "A connection without a heartbeat for this long is stale."},
          {"CONNECTION_RETENTION", "168h",
           "How long ended connections (closed, or stale and never back) stay listed."},
          {"IDLE_WARNING_BEFORE", "2m",
           "How long before an idle session hibernates (or one reaches its maximum duration) a "
           "warning goes to its watchers; at most the session's timeout."},
      });
  return variables;
}

std::chrono::milliseconds PositiveDuration(const core::Config& config, std::string_view name) {
  const std::chrono::milliseconds value = config.GetDuration(name);
  if (value.count() <= 0)
    throw core::ConfigError(std::string(name) + " must be positive");
  return value;
}

std::optional<streamspace::session::v1::ReportActivityRequest> ReadActivity(
    ConnectionStore& store, const std::string& session_id) {
  int64_t now_ms = 0;
  const auto activity = store.Activity({session_id}, &now_ms);
  streamspace::session::v1::ReportActivityRequest request;
  request.set_session_id(session_id);
  if (auto found = activity.find(session_id); found != activity.end()) {
    request.set_active_connections(found->second.active);
    if (found->second.last_activity_ms) {
      request.set_last_activity(core::FormatRfc3339(
          std::chrono::system_clock::time_point(Millis(*found->second.last_activity_ms))));
    }
  }
  return request;
}

int Run(int argc, char** argv) {
  const core::Config config = core::Config::Load(
      "tracker-service", "StreamSpace tracker: connections, heartbeats, the idle sweeper.",
      Variables(), argc, argv);
  core::SetupLogging("tracker-service", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));

  SweeperOptions sweeper_options;
  sweeper_options.interval = PositiveDuration(config, "SWEEP_INTERVAL");
  sweeper_options.rules.stale_after = PositiveDuration(config, "STALE_AFTER");
  sweeper_options.rules.warning_before = config.GetDuration("IDLE_WARNING_BEFORE");
  sweeper_options.retention = PositiveDuration(config, "CONNECTION_RETENTION");

  const std::string conninfo = db::ConnInfo(config);
  db::Pool pool(db::PoolOptions{conninfo, config.GetInt("DB_POOL_SIZE"),
                                std::chrono::milliseconds(5000), PrepareConnectionStatements});
  pool.With([](pqxx::connection& connection) { db::Migrate(connection, "tracker", Migrations()); });
  ConnectionStore store(pool);

  authn::RemoteVerifier remote(config, "tracker");
  auto peer = std::make_shared<GrpcSessionPeer>(
      grpc::CreateChannel(config.Get("SESSION_ADDR"), grpc::InsecureChannelCredentials()),
      remote.credentials());
  ActivityReporter reporter(
      peer, [&store](const std::string& session_id) { return ReadActivity(store, session_id); });
  ConnectionTracker tracker(store, reporter, sweeper_options.rules.stale_after);
  SweeperLease lease(conninfo);
  IdleSweeper sweeper(store, peer, reporter, lease, sweeper_options);

  TrackerGrpcService service(remote.verifier(), tracker);
  rpc::ServeUntilSignal(config, "tracker-service", {&service});
  spdlog::info("tracker-service stopped");
  return 0;
}

}  // namespace
}  // namespace ss::tracker

int main(int argc, char** argv) {
  return ss::core::RunMain("tracker-service", argc, argv, ss::tracker::Run);
}
