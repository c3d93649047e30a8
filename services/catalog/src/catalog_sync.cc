#include "catalog_sync.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <set>

#include "core/log.h"

namespace ss::catalog {

std::vector<core::Variable> SyncVariables() {
  return {
      {"SYNC_INTERVAL", "1h",
       "How often every repository is synced (a repository's own syncInterval wins)."},
      {"CATALOG_REPLICA_ID", "", "This replica's name in sync runs and the Lease (host:pid)."},
      {"CATALOG_MAX_YAML_NODES", "20000",
       "YAML nodes of one file with aliases expanded; more skips the file."},
      {"CATALOG_MAX_YAML_DEPTH", "32", "YAML nesting; deeper skips the file."},
  };
}

std::string ReplicaId(const core::Config& config) {
  if (!config.Get("CATALOG_REPLICA_ID").empty())
    return config.Get("CATALOG_REPLICA_ID");
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

SyncOptions SyncOptionsFrom(const core::Config& config, const GitLimits& git) {
  SyncOptions options;
  options.runner = ReplicaId(config);
  options.default_interval = config.GetDuration("SYNC_INTERVAL", std::chrono::seconds(1));
  options.manifest_limits.max_file_bytes = git.max_file_bytes;
  options.manifest_limits.max_nodes =
      static_cast<std::size_t>(config.GetInt("CATALOG_MAX_YAML_NODES"));
  options.manifest_limits.max_depth = config.GetInt("CATALOG_MAX_YAML_DEPTH");
  return options;
}

kube::LeaderElectionOptions SyncLeaseOptions(std::string ns, std::string replica) {
  kube::LeaderElectionOptions options;
  options.ns = std::move(ns);
  options.name = "catalog-sync";
  options.identity = std::move(replica);
  return options;
}

CatalogSync::CatalogSync(RepositoryStore& repositories, const GitMirror& mirror,
                         const SecretBox& secrets, Marketplace& marketplace, SyncOptions options,
                         std::function<bool()> leading)
    : repositories_(repositories),
      mirror_(mirror),
      secrets_(secrets),
      marketplace_(marketplace),
      options_(std::move(options)),
      leading_(std::move(leading)) {}

CatalogSync::~CatalogSync() {
  Stop();
}

void CatalogSync::Start() {
  worker_ = std::thread([this] { Work(); });
  scheduler_ = std::thread([this] { Schedule(); });
}

void CatalogSync::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable())
    worker_.join();
  if (scheduler_.joinable())
    scheduler_.join();
}

bool CatalogSync::Enqueue(std::int32_t repository_id, const std::string& trigger) {
  if (!repositories_.MarkQueued(repository_id))
    return false;
  {
    std::lock_guard lock(mutex_);
    if (queued_.emplace(repository_id, trigger).second)
      queue_.push_back(repository_id);
  }
  wake_.notify_all();
  return true;
}

void CatalogSync::Work() {
  for (;;) {
    std::int32_t id = 0;
    std::string trigger;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      id = queue_.front();
      queue_.pop_front();
      trigger = queued_[id];
      queued_.erase(id);
    }
    try {
      SyncOnce(id, trigger);
    } catch (const std::exception& e) {
      spdlog::error("sync of repository {}: {}", id, core::FirstLine(e.what()));
    }
  }
}

void CatalogSync::Schedule() {
  const auto tick = std::clamp<std::chrono::milliseconds>(
      options_.default_interval / 2, std::chrono::seconds(1), std::chrono::minutes(1));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, tick, [this] { return stopping_; })) {
    if (!leading_())
      continue;
    lock.unlock();
    try {
      for (const std::int32_t id :
           repositories_.Due(options_.default_interval, options_.claim_stale_after)) {
        Enqueue(id, "schedule");
      }
    } catch (const std::exception& e) {
      spdlog::warn("scheduled sync: {}", core::FirstLine(e.what()));
    }
    lock.lock();
  }
}

void CatalogSync::SyncOnce(std::int32_t repository_id, const std::string& trigger) {
  std::string current_trigger = trigger;
  for (;;) {
    const auto row =
        repositories_.Claim(repository_id, options_.runner, options_.claim_stale_after);
    if (!row) {
      // Gone, or another replica syncs it now and will run once more for this request.
      return;
    }
    const std::int64_t run =
        repositories_.StartRun(repository_id, current_trigger, options_.runner);
    const SyncOutcome outcome = Run(*row);
    const std::string& name = row->repository.name();
    if (outcome.status == "failed") {
      spdlog::warn("sync of repository {}: {}", name, outcome.error);
    } else {
      spdlog::info("sync of repository {}: {} at {} ({} templates, {} skipped)", name,
                   outcome.status, outcome.commit, outcome.entries ? outcome.entries->size() : 0,
                   outcome.skipped.size());
    }
    bool again = false;
    {
      const Marketplace::WriteScope writing(marketplace_);
      again = repositories_.Finish(repository_id, options_.runner, run, outcome);
    }
    if (!again)
      return;
    current_trigger = "request";
  }
}

SyncOutcome CatalogSync::Run(const RepositoryRow& row) {
  SyncOutcome outcome;
  const auto& repository = row.repository;
  GitSource source;
  source.url = repository.url();
  source.branch = repository.branch();
  source.username = repository.username();
  if (!row.secret_sealed.empty()) {
    auto secret = secrets_.Open(row.secret_sealed);
    if (!secret) {
      outcome.status = "failed";
      outcome.error = "the repository's secret cannot be read (CATALOG_SECRET_KEY changed?)";
      return outcome;
    }
    source.secret = std::move(*secret);
  }
  std::string error;
  const auto commit = mirror_.Fetch(repository.id(), source, &error);
  if (!commit) {
    outcome.status = "failed";
    outcome.error = error;
    return outcome;
  }
  outcome.commit = *commit;
  if (*commit == repository.last_commit()) {
    outcome.status = "unchanged";
    return outcome;
  }
  const auto snapshot = mirror_.Read(repository.id(), *commit, &error);
  if (!snapshot) {
    outcome.status = "failed";
    outcome.error = error;
    return outcome;
  }
  std::vector<SkippedFile> skipped = snapshot->skipped;
  std::vector<CatalogEntry> entries;
  std::map<std::string, std::string> seen;  // name -> path
  for (const auto& file : snapshot->files) {
    ParsedManifests parsed = ParseManifestFile(file.path, file.content, options_.manifest_limits);
    skipped.insert(skipped.end(), parsed.skipped.begin(), parsed.skipped.end());
    for (auto& entry : parsed.templates) {
      const auto [first, inserted] = seen.emplace(entry.name, entry.path);
      if (!inserted) {
        skipped.push_back(
            {entry.path, "duplicate name " + entry.name + " (first in " + first->second + ")"});
        continue;
      }
      entries.push_back(std::move(entry));
    }
  }
  if (skipped.size() > options_.max_skipped_listed) {
    const size_t more = skipped.size() - options_.max_skipped_listed;
    skipped.resize(options_.max_skipped_listed);
    skipped.push_back({"", std::to_string(more) + " more files skipped"});
  }
  outcome.status = "synced";
  outcome.entries = std::move(entries);
  outcome.skipped = std::move(skipped);
  return outcome;
}

}  // namespace ss::catalog
