// catalog-service: wiring only. The logic lives in src/ (ClusterTemplates, RepositoryDirectory,
// CatalogSync, Marketplace), the SQL in the stores, the schema in migrations/.
#include <spdlog/spdlog.h>

#include "authn/remote.h"
#include "catalog_store.h"
#include "catalog_sync.h"
#include "cluster_templates.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "git_mirror.h"
#include "grpc_service.h"
#include "kube/environment.h"
#include "kube/leader.h"
#include "marketplace.h"
#include "repository_directory.h"
#include "repository_store.h"
#include "rpc/audit.h"
#include "rpc/server.h"
#include "secret_box.h"

namespace ss::catalog {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};

int Run(int argc, char** argv) {
  const core::Config config = core::StartProcess(
      "catalog-service",
      "StreamSpace catalog: Templates, template repositories and their sync, browse, install.",
      core::JoinVariables({rpc::ServerVariables(9104, "127.0.0.1:9004", 64, ""),
                           db::DatabaseVariables("catalog"), authn::AuthnVariables(),
                           kube::ClusterVariables("Namespace of the Template resources."),
                           SecretBoxVariables(), GitMirrorVariables(), SyncVariables()}),
      argc, argv);
  const std::string ns = config.Get("NAMESPACE");
  const std::string replica = ReplicaId(config);
  const SecretBox secrets = SecretBox::FromConfig(config);
  const GitLimits git_limits = GitLimitsFrom(config);
  const GitMirror mirror(config.Get("CATALOG_CACHE_DIR"), git_limits);

  const db::PoolPtr pool = db::OpenAndMigrate(config, "catalog", Migrations());
  RepositoryStore repositories(*pool);
  CatalogStore catalog(*pool);
  const kube::ClientPtr kube_client = kube::ClientFromEnvironment(config);
  kube::LeaderElector elector(*kube_client, SyncLeaseOptions(ns, replica));
  ClusterTemplates templates(*kube_client, ns);
  templates.Start();
  if (!templates.WaitSynced(kReadyTimeout))
    spdlog::warn("Template resources not listed yet; template reads answer UNAVAILABLE until then");

  Marketplace marketplace(catalog, templates);
  CatalogSync sync(repositories, mirror, secrets, marketplace, SyncOptionsFrom(config, git_limits),
                   [&elector] { return elector.leading(); });
  authn::RemoteVerifier remote(config, "catalog");
  RepositoryDirectory directory(repositories, sync, mirror, secrets, marketplace,
                                config.GetBool("CATALOG_ALLOW_LOCAL_REPOS"));
  CatalogGrpcService service(remote.verifier(), rpc::AuditorFor(remote), templates, directory,
                             marketplace);

  sync.Start();
  elector.Start();
  rpc::ServeUntilSignal(config, "catalog-service " + replica, {&service});
  return 0;
}

}  // namespace
}  // namespace ss::catalog

int main(int argc, char** argv) {
  return ss::core::RunMain("catalog-service", argc, argv, ss::catalog::Run);
}
