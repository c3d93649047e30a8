// session-service: wiring only. The logic lives in src/ (SessionDirectory, SessionCache,
// PlatformConfigStore, Reconciler), the SQL in the stores, the schema in migrations/.
#include <spdlog/spdlog.h>

#include "authn/remote.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "db/pool.h"
#include "grpc_service.h"
#include "kube/watcher.h"
#include "platform_config.h"
#include "reconciler.h"
#include "rpc/server.h"
#include "session_mirror.h"

namespace ss::session {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};
constexpr std::chrono::seconds kSyncTimeout{30};

std::vector<core::Variable> Variables() {
  std::vector<core::Variable> variables = core::ProcessVariables(9102);
  for (auto& variable :
       rpc::ServerVariables("127.0.0.1:9002", 128, "Every open WatchSessions stream holds one.")) {
    variables.push_back(std::move(variable));
  }
  for (auto& list : {db::DatabaseVariables("session"), authn::AuthnVariables(),
                     PlatformConfigVariables(), ReconcilerVariables()}) {
    variables.insert(variables.end(), list.begin(), list.end());
  }
  variables.insert(
      variables.end(),
      {
          {"TRACKER_ADDR", "127.0.0.1:9003", "The tracker service (host:port)."},
          {"KUBECONFIG", "",
           "kubeconfig file(s); empty: in-cluster service account, else ~/.kube/config."},
          {"NAMESPACE", "streamspace", "Namespace of the Session and Template resources."},
          {"CONFIG_REFRESH", "3s",
           "How often the platform config is re-read (changes made through another replica)."},
          {"ACTIVITY_POLL_INTERVAL", "2s",
           "How often activity the tracker reported to another replica is read."},
          {"LAST_ACTIVITY_INTERVAL", "30s",
           "status.lastActivity of a session is written at most this often."},
          {"MIRROR_FLUSH_INTERVAL", "200ms",
           "Session changes are written to Postgres in one batch per interval."},
          {"WATCH_QUEUE_LIMIT", "10000",
           "Events a WatchSessions stream may fall behind before it is ended."},
      });
  return variables;
}

std::chrono::milliseconds AtLeast(const core::Config& config, std::string_view name,
                                  std::chrono::milliseconds minimum) {
  const std::chrono::milliseconds value = config.GetDuration(name);
  if (value < minimum) {
    throw core::ConfigError(std::string(name) + " must be at least " +
                            std::to_string(minimum.count()) + "ms");
  }
  return value;
}

void PrepareStatements(pqxx::connection& connection) {
  PrepareMirrorStatements(connection);
  PrepareConfigStatements(connection);
}

int Run(int argc, char** argv) {
  const core::Config config = core::Config::Load(
      "session-service", "StreamSpace sessions: the sessions API, its cache and platform config.",
      Variables(), argc, argv);
  core::SetupLogging("session-service", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  const std::string ns = config.Get("NAMESPACE");
  const int watch_queue_limit = config.GetInt("WATCH_QUEUE_LIMIT");
  if (watch_queue_limit < 1)
    throw core::ConfigError("WATCH_QUEUE_LIMIT must be at least 1");

  auto kube_config = kube::LoadConfig();
  if (!kube_config)
    throw std::runtime_error("Kubernetes configuration: " + kube_config.error().message);
  kube::ClientPtr client = kube::MakeClient(*kube_config);

  db::Pool pool(db::PoolOptions{db::ConnInfo(config), config.GetInt("DB_POOL_SIZE"),
                                std::chrono::milliseconds(5000), PrepareStatements});
  pool.With([](pqxx::connection& connection) { db::Migrate(connection, "session", Migrations()); });
  PlatformConfigStore platform(pool, PlatformDefaults(config),
                               AtLeast(config, "CONFIG_REFRESH", std::chrono::milliseconds(100)));

  SessionMirror mirror(pool,
                       AtLeast(config, "MIRROR_FLUSH_INTERVAL", std::chrono::milliseconds(1)));
  mirror.Start();
  SessionCache cache(&mirror, static_cast<std::size_t>(watch_queue_limit));
  kube::WatcherOptions watch_options;
  watch_options.ns = ns;
  kube::Watcher watcher(*client, kube::resources::kSessions, watch_options, cache);
  watcher.Start();
  ActivityStore activity(pool);
  ActivityFeed feed(activity, cache,
                    AtLeast(config, "ACTIVITY_POLL_INTERVAL", std::chrono::milliseconds(100)));

  authn::RemoteVerifier remote(config, "session");
  if (!remote.WaitReady(kReadyTimeout))
    spdlog::warn("no signing keys from auth yet; calls are refused until they arrive");
  if (!cache.WaitSynced(kSyncTimeout))
    spdlog::warn("sessions not listed yet; reads answer UNAVAILABLE until they are");
  // After the first list, so that the activity recorded before this start finds its sessions.
  feed.Start();

  GrpcTracker tracker(
      grpc::CreateChannel(config.Get("TRACKER_ADDR"), grpc::InsecureChannelCredentials()),
      remote.credentials(), std::chrono::seconds(5));
  DirectoryOptions directory_options;
  directory_options.ns = ns;
  directory_options.last_activity_interval =
      AtLeast(config, "LAST_ACTIVITY_INTERVAL", std::chrono::milliseconds(100));
  SessionDirectory directory(
      *client, cache, [&platform] { return platform.Current(); }, tracker, &activity,
      directory_options);

  // Every replica serves the API; the one holding the Lease also runs the sessions.
  Reconciler reconciler(*client, ReconcilerOptionsFrom(config, ns),
                        [&platform] { return platform.Current(); });
  reconciler.Start();

  SessionGrpcService service(remote.verifier(), directory, cache, platform,
                             metrics::Registry::Default());
  rpc::ServeUntilSignal(config, "session-service", {&service});
  reconciler.Stop();
  feed.Stop();
  watcher.Stop();
  mirror.Stop();
  spdlog::info("session-service stopped");
  return 0;
}

}  // namespace
}  // namespace ss::session

int main(int argc, char** argv) {
  return ss::core::RunMain("session-service", argc, argv, ss::session::Run);
}
