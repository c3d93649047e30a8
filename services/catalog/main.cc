// catalog-service: wiring only. The logic lives in src/ (ClusterTemplates, RepositoryDirectory,
// CatalogSync, Marketplace), the SQL in the stores, the schema in migrations/.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "authn/remote.h"
#include "catalog_store.h"
#include "catalog_sync.h"
#include "cluster_templates.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "db/migrations.h"
#include "db/pool.h"
#include "git_mirror.h"
#include "grpc_service.h"
#include "kube/client.h"
#include "kube/leader.h"
#include "marketplace.h"
#include "repository_directory.h"
#include "repository_store.h"
#include "rpc/server.h"
#include "secret_box.h"

namespace ss::catalog {

// Generated from migrations/ by ss_embed_migrations.
const std::vector<db::Migration>& Migrations();

namespace {

constexpr std::chrono::seconds kReadyTimeout{10};
// The Lease whose holder runs the scheduled syncs.
constexpr const char* kSyncLease = "catalog-sync";

std::vector<core::Variable> Variables() {
  std::vector<core::Variable> variables = core::ProcessVariables(9104);
  for (auto& variable : rpc::ServerVariables("127.0.0.1:9004", 64, "")) {
    variables.push_back(std::move(variable));
  }
  for (auto& list : {db::DatabaseVariables("catalog"), authn::AuthnVariables()}) {
    variables.insert(variables.end(), list.begin(), list.end());
  }
  variables.insert(
      variables.end(),
      {
          {"NAMESPACE", "streamspace", "Namespace of the Template resources."},
          {"SYNC_INTERVAL", "1h",
           "How often every repository is synced (a repository's own syncInterval wins)."},
          {"CATALOG_ALLOW_LOCAL_REPOS", "false",
           "Accept file:// URLs and local paths as repositories (development only)."},
          {"CATALOG_CACHE_DIR", "/tmp/streamspace-catalog",
           "Folder of the bare git mirrors of the repositories."},
          {"CATALOG_SECRET_KEY", "",
           "Passphrase of the key that encrypts repository secrets in Postgres (required unless "
           "CATALOG_ALLOW_LOCAL_REPOS=true).",
           true},
          {"CATALOG_REPLICA_ID", "", "This replica's name in sync runs and the Lease (host:pid)."},
          {"CATALOG_MAX_FILE_BYTES", "262144", "A larger manifest file is skipped."},
          {"CATALOG_MAX_REPO_BYTES", "67108864",
           "A fetch receiving more, or a commit with more manifest bytes, fails the sync."},
          {"CATALOG_MAX_FILES", "50000", "A commit with more files and folders fails the sync."},
          {"CATALOG_MAX_YAML_NODES", "20000",
           "YAML nodes of one file with aliases expanded; more skips the file."},
          {"CATALOG_MAX_YAML_DEPTH", "32", "YAML nesting; deeper skips the file."},
      });
  return variables;
}

void PrepareStatements(pqxx::connection& connection) {
  PrepareRepositoryStatements(connection);
  PrepareCatalogStatements(connection);
}

std::string ReplicaId(const core::Config& config) {
  if (!config.Get("CATALOG_REPLICA_ID").empty())
    return config.Get("CATALOG_REPLICA_ID");
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

int Run(int argc, char** argv) {
  const core::Config config = core::Config::Load(
      "catalog-service",
      "StreamSpace catalog: Templates, template repositories and their sync, browse, install.",
      Variables(), argc, argv);
  core::SetupLogging("catalog-service", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  const std::string replica = ReplicaId(config);
  const std::string ns = config.Get("NAMESPACE");
  if (config.Get("CATALOG_SECRET_KEY").empty()) {
    if (!config.GetBool("CATALOG_ALLOW_LOCAL_REPOS")) {
      throw core::ConfigError(
          "CATALOG_SECRET_KEY is not set: repository secrets would be encrypted with a key "
          "anyone can derive; set it (an empty key is accepted only with "
          "CATALOG_ALLOW_LOCAL_REPOS=true, for development)");
    }
    spdlog::warn(
        "CATALOG_SECRET_KEY is not set: repository secrets are encrypted with a key "
        "anyone can derive (development mode, CATALOG_ALLOW_LOCAL_REPOS=true)");
  }

  db::Pool pool(db::PoolOptions{db::ConnInfo(config), config.GetInt("DB_POOL_SIZE"),
                                std::chrono::milliseconds(5000), PrepareStatements});
  pool.With([](pqxx::connection& connection) { db::Migrate(connection, "catalog", Migrations()); });
  RepositoryStore repositories(pool);
  CatalogStore catalog(pool);

  auto kube_config = kube::LoadConfig();
  if (!kube_config)
    throw std::runtime_error("kubernetes: " + kube_config.error().message);
  kube::ClientPtr kube_client = kube::MakeClient(*kube_config);

  GitLimits git_limits;
  git_limits.max_repository_bytes = std::stoull(config.Get("CATALOG_MAX_REPO_BYTES"));
  git_limits.max_entries = static_cast<std::size_t>(config.GetInt("CATALOG_MAX_FILES"));
  git_limits.max_file_bytes = static_cast<std::size_t>(config.GetInt("CATALOG_MAX_FILE_BYTES"));
  const GitMirror mirror(config.Get("CATALOG_CACHE_DIR"), git_limits);
  const SecretBox secrets(config.Get("CATALOG_SECRET_KEY"));

  kube::LeaderElectionOptions lease_options;
  lease_options.ns = ns;
  lease_options.name = kSyncLease;
  lease_options.identity = replica;
  kube::LeaderElector elector(*kube_client, lease_options);

  SyncOptions sync_options;
  sync_options.runner = replica;
  sync_options.default_interval = config.GetDuration("SYNC_INTERVAL");
  if (sync_options.default_interval < std::chrono::seconds(1))
    throw core::ConfigError("SYNC_INTERVAL must be at least 1s");
  sync_options.manifest_limits.max_file_bytes = git_limits.max_file_bytes;
  sync_options.manifest_limits.max_nodes =
      static_cast<std::size_t>(config.GetInt("CATALOG_MAX_YAML_NODES"));
  sync_options.manifest_limits.max_depth = config.GetInt("CATALOG_MAX_YAML_DEPTH");
  ClusterTemplates templates(*kube_client, ns);
  templates.Start();
  if (!templates.WaitSynced(kReadyTimeout))
    spdlog::warn("Template resources not listed yet; template reads answer UNAVAILABLE until then");

  Marketplace marketplace(catalog, templates);
  CatalogSync sync(repositories, mirror, secrets, marketplace, sync_options,
                   [&elector] { return elector.leading(); });

  authn::RemoteVerifier remote(config, "catalog");
  RepositoryDirectory directory(repositories, sync, mirror, secrets, marketplace,
                                config.GetBool("CATALOG_ALLOW_LOCAL_REPOS"));
  CatalogGrpcService service(remote.verifier(), templates, directory, marketplace);

  sync.Start();
  elector.Start();
  rpc::ServeUntilSignal(config, "catalog-service " + replica, {&service});
  elector.Stop();
  sync.Stop();
  templates.Stop();
  spdlog::info("catalog-service stopped");
  return 0;
}

}  // namespace
}  // namespace ss::catalog

int main(int argc, char** argv) {
  return ss::core::RunMain("catalog-service", argc, argv, ss::catalog::Run);
}
