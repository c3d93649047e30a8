// The repositories and sync_runs tables (schema catalog): every statement is a db::Query in
// repository_store.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "manifest.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

// A repository with what only the service itself may see: its sealed secrets.
struct RepositoryRow {
  streamspace::catalog::v1::Repository repository;
  std::string secret_sealed;          // empty when none
  std::string webhook_secret_sealed;  // empty when none
};

struct NewRepository {
  std::string name, url, branch, auth_type, username, sync_interval;
  std::optional<std::int64_t> sync_interval_ms;
  std::string secret_sealed, webhook_secret_sealed;
};

// How a sync ended, written with its entries in one transaction.
struct SyncOutcome {
  std::string status;  // synced | unchanged | failed
  std::string commit;
  std::string error;
  // Set when the commit was parsed (status synced): the entries replace the repository's.
  std::optional<std::vector<CatalogEntry>> entries;
  std::vector<SkippedFile> skipped;
};

class RepositoryStore {
 public:
  explicit RepositoryStore(db::Pool& pool) : pool_(pool) {}

  // nullopt when the name is taken.
  std::optional<streamspace::catalog::v1::Repository> Create(const NewRepository& fields);
  std::optional<RepositoryRow> Get(std::int32_t id);
  std::vector<streamspace::catalog::v1::Repository> List(int offset, int limit, int* total);
  std::vector<std::int32_t> AllIds();
  bool Delete(std::int32_t id);

  // Shows the repository as queued, or asks a running sync to run once more. False when the
  // repository does not exist.
  bool MarkQueued(std::int32_t id);
  // Claims the repository for a sync by `runner` unless another runner holds a claim younger
  // than `stale_after`; the claimed row, else nullopt.
  std::optional<RepositoryRow> Claim(std::int32_t id, const std::string& runner,
                                     std::chrono::milliseconds stale_after);
  // Records the outcome (and the entries) and releases the claim; true when another sync was
  // asked for meanwhile.
  bool Finish(std::int32_t id, const std::string& runner, std::int64_t run_id,
              const SyncOutcome& outcome);

  std::int64_t StartRun(std::int32_t id, const std::string& trigger, const std::string& runner);
  std::vector<streamspace::catalog::v1::SyncRun> ListRuns(std::int32_t id, int offset, int limit,
                                                          int* total);

  // Repositories whose interval (their own, else `default_interval`) has passed since their last
  // sync and that nobody is syncing.
  std::vector<std::int32_t> Due(std::chrono::milliseconds default_interval,
                                std::chrono::milliseconds stale_after);

 private:
  db::Pool& pool_;
};

}  // namespace ss::catalog
