// session-service: wiring only. The logic lives in src/ (SessionDirectory, SessionCache,
// PlatformConfigStore, Reconciler), the SQL in the stores, the schema in migrations/.
#include <spdlog/spdlog.h>

#include "activity_feed.h"
#include "authn/remote.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "grpc_service.h"
#include "kube/environment.h"
#include "memberships.h"
#include "platform_config.h"
#include "reconciler/reconciler.h"
#include "rpc/audit.h"
#include "rpc/server.h"
#include "session_mirror.h"

namespace ss::session {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};
constexpr std::chrono::seconds kSyncTimeout{30};

int Run(int argc, char** argv) {
  const core::Config config = core::StartProcess(
      "session-service", "StreamSpace sessions: the sessions API, its cache and platform config.",
      core::JoinVariables(
          {rpc::ServerVariables(9102, "127.0.0.1:9002", 128,
                                "Every open WatchSessions stream holds one."),
           db::DatabaseVariables("session"), authn::AuthnVariables(),
           kube::ClusterVariables("Namespace of the Session and Template resources."),
           PlatformConfigVariables(), SessionMirrorVariables(), SessionCacheVariables(),
           ActivityFeedVariables(), DirectoryVariables(), MembershipVariables(), QuotaVariables(),
           ReconcilerVariables()}),
      argc, argv);
  const kube::ClientPtr client = kube::ClientFromEnvironment(config);
  const db::PoolPtr pool = db::OpenAndMigrate(config, "session", Migrations());
  PlatformConfigStore platform(*pool, PlatformDefaults(config), ConfigRefreshFrom(config));
  const auto platform_config = [&platform] { return platform.Current(); };

  SessionMirror mirror(*pool, MirrorFlushIntervalFrom(config));
  mirror.Start();
  SessionCache cache(&mirror, WatchQueueLimitFrom(config));
  kube::Watcher watcher(*client, kube::resources::kSessions, SessionWatchOptionsFrom(config),
                        cache);
  watcher.Start();
  ActivityStore activity(*pool);
  ActivityFeed feed(activity, cache, ActivityPollIntervalFrom(config));

  authn::RemoteVerifier remote(config, "session");
  remote.WaitReady(kReadyTimeout);
  if (!cache.WaitSynced(kSyncTimeout))
    spdlog::warn("sessions not listed yet; reads answer UNAVAILABLE until they are");
  // After the first list, so that the activity recorded before this start finds its sessions.
  feed.Start();

  GrpcTracker tracker(
      grpc::CreateChannel(config.Get("TRACKER_ADDR"), grpc::InsecureChannelCredentials()),
      remote.credentials(), std::chrono::seconds(5));
  GrpcMembershipSource membership_source(remote.channel(), remote.credentials());
  Memberships memberships(membership_source, GroupPollIntervalFrom(config));
  memberships.Start();
  QuotaStore quota_store(*pool);
  Quotas quotas(quota_store, memberships, *client, cache, platform_config, config.Get("NAMESPACE"),
                QuotaPollIntervalFrom(config));
  quotas.Start();
  SessionDirectory directory(*client, cache, platform_config, tracker, &activity, quotas,
                             DirectoryOptionsFrom(config));
  // Every replica serves the API; the one holding the Lease also runs the sessions.
  Reconciler reconciler(*client, ReconcilerOptionsFrom(config, config.Get("NAMESPACE")),
                        platform_config);
  reconciler.Start();

  SessionGrpcService service(remote.verifier(), rpc::AuditorFor(remote), directory, cache, platform,
                             quotas, metrics::Registry::Default());
  rpc::ServeUntilSignal(config, "session-service", {&service});
  return 0;
}

}  // namespace
}  // namespace ss::session

int main(int argc, char** argv) {
  return ss::core::RunMain("session-service", argc, argv, ss::session::Run);
}
