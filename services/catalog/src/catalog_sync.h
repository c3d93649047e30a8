// Background sync of repositories: one worker thread takes repository ids from a de-duplicated
// queue; a claim in Postgres keeps one repository from syncing twice at once across replicas; the
// scheduler queues repositories whose interval has passed, on the Lease holder only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.h"
#include "git_mirror.h"
#include "kube/leader.h"
#include "manifest.h"
#include "marketplace.h"
#include "repository_store.h"
#include "secret_box.h"

namespace ss::catalog {

struct SyncOptions {
  // This replica, as sync runs name it.
  std::string runner;
  std::chrono::milliseconds default_interval{std::chrono::hours(1)};
  // A claim older than this is taken over (its replica died mid-sync).
  std::chrono::milliseconds claim_stale_after{std::chrono::minutes(10)};
  ManifestLimits manifest_limits;
  // Skipped files listed per repository; the rest are counted in one line.
  std::size_t max_skipped_listed = 200;
};

// SYNC_INTERVAL, CATALOG_REPLICA_ID, CATALOG_MAX_YAML_NODES and CATALOG_MAX_YAML_DEPTH.
std::vector<core::Variable> SyncVariables();
// This replica's name in sync runs and the Lease: CATALOG_REPLICA_ID, else host:pid.
std::string ReplicaId(const core::Config& config);
// The options from those variables; manifests are read within `git`'s file size.
SyncOptions SyncOptionsFrom(const core::Config& config, const GitLimits& git);
// The Lease in `ns` whose holder runs the scheduled syncs, held as `replica`.
kube::LeaderElectionOptions SyncLeaseOptions(std::string ns, std::string replica);

class CatalogSync {
 public:
  // `leading` says whether this replica holds the scheduling Lease; `marketplace` learns of
  // every write of the catalog.
  CatalogSync(RepositoryStore& repositories, const GitMirror& mirror, const SecretBox& secrets,
              Marketplace& marketplace, SyncOptions options, std::function<bool()> leading);
  ~CatalogSync();
  CatalogSync(const CatalogSync&) = delete;
  CatalogSync& operator=(const CatalogSync&) = delete;

  void Start();
  void Stop();

  // Queues a sync of the repository (once, however often asked) and shows it queued; false
  // when the repository does not exist. `trigger`: request, webhook, schedule, create.
  bool Enqueue(std::int32_t repository_id, const std::string& trigger);

  // One sync of a claimed repository, synchronously (the worker's step; tests call it).
  void SyncOnce(std::int32_t repository_id, const std::string& trigger);

 private:
  void Work();
  void Schedule();
  SyncOutcome Run(const RepositoryRow& row);

  RepositoryStore& repositories_;
  const GitMirror& mirror_;
  const SecretBox& secrets_;
  Marketplace& marketplace_;
  const SyncOptions options_;
  std::function<bool()> leading_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<std::int32_t> queue_;
  std::map<std::int32_t, std::string> queued_;  // id -> trigger
  std::thread worker_;
  std::thread scheduler_;
};

}  // namespace ss::catalog
