#include "repository_store.h"

#include <nlohmann/json.hpp>

#include "authn/encoding.h"
#include "db/query.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;
using nlohmann::json;

#define SS_TIME(column) \
  "coalesce(to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), '')"

#define SS_REPOSITORY_COLUMNS \
  "id, name, url, branch, auth_type, username, secret_sealed IS NOT NULL, "                      \
  "webhook_secret_sealed IS NOT NULL, sync_interval, status, " SS_TIME("last_sync_at") ", "      \
  "last_commit, template_count, skipped::text, error, " SS_TIME("created_at") ", "               \
  SS_TIME("updated_at") ", coalesce(encode(secret_sealed, 'hex'), ''), "                        \
  "coalesce(encode(webhook_secret_sealed, 'hex'), '')"

constexpr db::Query kCreate{
    "repository_create",
    "INSERT INTO catalog.repositories (name, url, branch, auth_type, username, sync_interval, "
    "sync_interval_ms, secret_sealed, webhook_secret_sealed) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, decode(nullif($8, ''), 'hex'), "
    "decode(nullif($9, ''), 'hex')) ON CONFLICT (name) DO NOTHING "
    "RETURNING " SS_REPOSITORY_COLUMNS};

constexpr db::Query kGet{"repository_get", "SELECT " SS_REPOSITORY_COLUMNS
                                           " FROM catalog.repositories WHERE id = $1::integer"};

constexpr db::Query kPage{"repository_page", "SELECT " SS_REPOSITORY_COLUMNS
                                             ", count(*) OVER () FROM catalog.repositories "
                                             "ORDER BY name OFFSET $1 LIMIT $2"};

constexpr db::Query kCount{"repository_count", "SELECT count(*) FROM catalog.repositories"};

constexpr db::Query kAllIds{"repository_all_ids",
                            "SELECT id FROM catalog.repositories ORDER BY name"};

constexpr db::Query kDelete{"repository_delete",
                            "DELETE FROM catalog.repositories WHERE id = $1::integer"};

constexpr db::Query kMarkQueued{
    "repository_mark_queued",
    "UPDATE catalog.repositories SET "
    "resync_requested = resync_requested OR status = 'syncing', "
    "status = CASE WHEN status = 'syncing' THEN status ELSE 'queued' END "
    "WHERE id = $1::integer"};

constexpr db::Query kClaim{
    "repository_claim",
    "UPDATE catalog.repositories SET status = 'syncing', sync_claimed_by = $2, "
    "sync_claimed_at = now(), resync_requested = false WHERE id = $1::integer AND "
    "(status <> 'syncing' OR sync_claimed_by = $2 OR "
    " sync_claimed_at < now() - $3::bigint * interval '1 millisecond') "
    "RETURNING " SS_REPOSITORY_COLUMNS};

// The outcome: `unchanged` keeps the entries and the counts; `failed` keeps the entries of the
// last good sync.
constexpr db::Query kFinish{
    "repository_finish",
    "UPDATE catalog.repositories r SET "
    "status = CASE WHEN $3 = 'failed' THEN 'failed' ELSE 'synced' END, "
    "last_sync_at = now(), "
    "last_commit = CASE WHEN $3 = 'failed' THEN r.last_commit ELSE $4 END, "
    "template_count = CASE WHEN $3 = 'synced' THEN $5 ELSE r.template_count END, "
    "skipped = CASE WHEN $3 = 'synced' THEN $6::jsonb ELSE r.skipped END, "
    "error = $7, sync_claimed_by = NULL, sync_claimed_at = NULL "
    "FROM (SELECT id, resync_requested FROM catalog.repositories WHERE id = $1::integer FOR "
    "UPDATE) "
    "old WHERE r.id = old.id AND r.sync_claimed_by = $2 RETURNING old.resync_requested"};

// Upserts every entry of one sync in one statement; an entry's updated_at moves only when it
// changed, and installs stay.
constexpr db::Query kUpsertEntries{
    "catalog_upsert_entries",
    "INSERT INTO catalog.catalog_templates AS t (repository_id, name, path, display_name, "
    "description, category, app_type, icon, tags, spec) "
    "SELECT $1::integer, e.name, e.path, coalesce(e.spec->>'displayName', ''), "
    "coalesce(e.spec->>'description', ''), coalesce(e.spec->>'category', ''), "
    "coalesce(e.spec->>'appType', ''), coalesce(e.spec->>'icon', ''), "
    "ARRAY(SELECT jsonb_array_elements_text(coalesce(e.spec->'tags', '[]'))), e.spec "
    "FROM jsonb_to_recordset($2::jsonb) AS e(name text, path text, spec jsonb) "
    "ON CONFLICT (repository_id, name) DO UPDATE SET path = excluded.path, "
    "display_name = excluded.display_name, description = excluded.description, "
    "category = excluded.category, app_type = excluded.app_type, icon = excluded.icon, "
    "tags = excluded.tags, spec = excluded.spec, updated_at = now() "
    "WHERE t.spec IS DISTINCT FROM excluded.spec OR t.path IS DISTINCT FROM excluded.path"};

constexpr db::Query kDeleteMissing{
    "catalog_delete_missing",
    "DELETE FROM catalog.catalog_templates WHERE repository_id = $1::integer AND name NOT IN "
    "(SELECT e->>'name' FROM jsonb_array_elements($2::jsonb) e)"};

constexpr db::Query kStartRun{
    "sync_run_start",
    "INSERT INTO catalog.sync_runs (repository_id, trigger, runner) VALUES ($1::integer, $2, $3) "
    "RETURNING id"};

constexpr db::Query kFinishRun{
    "sync_run_finish",
    "UPDATE catalog.sync_runs SET status = $2, finished_at = clock_timestamp(), commit = $3, "
    "template_count = $4, skipped_count = $5, error = $6 WHERE id = $1"};

constexpr db::Query kRuns{
    "sync_runs_page",
    "SELECT id::text, trigger, runner, status, " SS_TIME("started_at") ", " SS_TIME("finished_at")
    ", commit, template_count, skipped_count, error, count(*) OVER () FROM catalog.sync_runs "
    "WHERE repository_id = $1::integer ORDER BY id DESC OFFSET $2 LIMIT $3"};

constexpr db::Query kDue{
    "repository_due",
    "SELECT id FROM catalog.repositories WHERE "
    "(status <> 'syncing' OR sync_claimed_at < now() - $2::bigint * interval '1 millisecond') "
    "AND (last_sync_at IS NULL OR last_sync_at + coalesce(sync_interval_ms, $1::bigint) * "
    "interval '1 millisecond' <= now()) ORDER BY name"};

#undef SS_REPOSITORY_COLUMNS
#undef SS_TIME

// Sealed secrets travel to and from Postgres hex-encoded (authn::HexEncode).
std::string Unhex(const std::string& hex) {
  std::string bytes;
  if (!authn::HexDecode(hex, &bytes))
    throw std::runtime_error("malformed hex from the database");
  return bytes;
}

RepositoryRow ReadRow(const pqxx::row& row) {
  RepositoryRow result;
  pb::Repository& repository = result.repository;
  repository.set_id(row[0].as<std::int32_t>());
  repository.set_name(row[1].as<std::string>());
  repository.set_url(row[2].as<std::string>());
  repository.set_branch(row[3].as<std::string>());
  repository.set_auth_type(row[4].as<std::string>());
  repository.set_username(row[5].as<std::string>());
  repository.set_has_secret(row[6].as<bool>());
  repository.set_has_webhook_secret(row[7].as<bool>());
  repository.set_sync_interval(row[8].as<std::string>());
  repository.set_status(row[9].as<std::string>());
  repository.set_last_sync(row[10].as<std::string>());
  repository.set_last_commit(row[11].as<std::string>());
  repository.set_template_count(row[12].as<int>());
  for (const json& skipped : json::parse(row[13].as<std::string>())) {
    pb::SkippedFile* file = repository.add_skipped();
    file->set_path(skipped.value("path", ""));
    file->set_reason(skipped.value("reason", ""));
  }
  repository.set_error_message(row[14].as<std::string>());
  repository.set_created_at(row[15].as<std::string>());
  repository.set_updated_at(row[16].as<std::string>());
  result.secret_sealed = Unhex(row[17].as<std::string>());
  result.webhook_secret_sealed = Unhex(row[18].as<std::string>());
  return result;
}

}  // namespace

std::optional<pb::Repository> RepositoryStore::Create(const NewRepository& fields) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<pb::Repository> {
    pqxx::work tx(connection);
    const pqxx::result result = db::Execute(
        tx, kCreate, fields.name, fields.url, fields.branch, fields.auth_type, fields.username,
        fields.sync_interval, fields.sync_interval_ms, authn::HexEncode(fields.secret_sealed),
        authn::HexEncode(fields.webhook_secret_sealed));
    tx.commit();
    if (result.empty())
      return std::nullopt;
    return ReadRow(result[0]).repository;
  });
}

std::optional<RepositoryRow> RepositoryStore::Get(std::int32_t id) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<RepositoryRow> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kGet, id);
    if (result.empty())
      return std::nullopt;
    return ReadRow(result[0]);
  });
}

std::vector<pb::Repository> RepositoryStore::List(int offset, int limit, int* total) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kPage, offset, limit);
    std::vector<pb::Repository> repositories;
    *total = 0;
    for (const auto& row : result) {
      repositories.push_back(ReadRow(row).repository);
      *total = row[19].as<int>();
    }
    if (result.empty() && offset > 0)
      *total = db::Execute(tx, kCount)[0][0].as<int>();
    return repositories;
  });
}

std::vector<std::int32_t> RepositoryStore::AllIds() {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<std::int32_t> ids;
    for (const auto& row : db::Execute(tx, kAllIds))
      ids.push_back(row[0].as<std::int32_t>());
    return ids;
  });
}

bool RepositoryStore::Delete(std::int32_t id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result result = db::Execute(tx, kDelete, id);
    tx.commit();
    return result.affected_rows() > 0;
  });
}

bool RepositoryStore::MarkQueued(std::int32_t id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result result = db::Execute(tx, kMarkQueued, id);
    tx.commit();
    return result.affected_rows() > 0;
  });
}

std::optional<RepositoryRow> RepositoryStore::Claim(std::int32_t id, const std::string& runner,
                                                    std::chrono::milliseconds stale_after) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<RepositoryRow> {
    pqxx::work tx(connection);
    const pqxx::result result =
        db::Execute(tx, kClaim, id, runner, static_cast<std::int64_t>(stale_after.count()));
    tx.commit();
    if (result.empty())
      return std::nullopt;
    return ReadRow(result[0]);
  });
}

bool RepositoryStore::Finish(std::int32_t id, const std::string& runner, std::int64_t run_id,
                             const SyncOutcome& outcome) {
  json skipped = json::array();
  for (const auto& file : outcome.skipped)
    skipped.push_back({{"path", file.path}, {"reason", file.reason}});
  json entries = json::array();
  if (outcome.entries) {
    for (const auto& entry : *outcome.entries)
      entries.push_back({{"name", entry.name}, {"path", entry.path}, {"spec", entry.spec}});
  }
  const int count = outcome.entries ? static_cast<int>(outcome.entries->size()) : 0;
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const pqxx::result finished = db::Execute(tx, kFinish, id, runner, outcome.status,
                                              outcome.commit, count, skipped.dump(), outcome.error);
    if (finished.empty()) {
      // The claim was lost (deleted repository, or taken over as stale): record the run only.
      db::Execute(tx, kFinishRun, run_id, "failed", outcome.commit, 0, 0,
                  "the sync claim was lost before it finished");
      tx.commit();
      return false;
    }
    if (outcome.entries) {
      const std::string document = entries.dump();
      db::Execute(tx, kUpsertEntries, id, document);
      db::Execute(tx, kDeleteMissing, id, document);
    }
    db::Execute(tx, kFinishRun, run_id, outcome.status, outcome.commit, count,
                static_cast<int>(outcome.skipped.size()), outcome.error);
    tx.commit();
    return finished[0][0].as<bool>();
  });
}

std::int64_t RepositoryStore::StartRun(std::int32_t id, const std::string& trigger,
                                       const std::string& runner) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const std::int64_t run =
        db::Execute(tx, kStartRun, id, trigger, runner)[0][0].as<std::int64_t>();
    tx.commit();
    return run;
  });
}

std::vector<pb::SyncRun> RepositoryStore::ListRuns(std::int32_t id, int offset, int limit,
                                                   int* total) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<pb::SyncRun> runs;
    *total = 0;
    for (const auto& row : db::Execute(tx, kRuns, id, offset, limit)) {
      pb::SyncRun run;
      run.set_id(row[0].as<std::string>());
      run.set_trigger(row[1].as<std::string>());
      run.set_runner(row[2].as<std::string>());
      run.set_status(row[3].as<std::string>());
      run.set_started_at(row[4].as<std::string>());
      run.set_finished_at(row[5].as<std::string>());
      run.set_commit(row[6].as<std::string>());
      run.set_template_count(row[7].as<int>());
      run.set_skipped_count(row[8].as<int>());
      run.set_error(row[9].as<std::string>());
      *total = row[10].as<int>();
      runs.push_back(std::move(run));
    }
    return runs;
  });
}

std::vector<std::int32_t> RepositoryStore::Due(std::chrono::milliseconds default_interval,
                                               std::chrono::milliseconds stale_after) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<std::int32_t> ids;
    for (const auto& row :
         db::Execute(tx, kDue, static_cast<std::int64_t>(default_interval.count()),
                     static_cast<std::int64_t>(stale_after.count()))) {
      ids.push_back(row[0].as<std::int32_t>());
    }
    return ids;
  });
}

}  // namespace ss::catalog
