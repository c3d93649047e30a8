#include "db/migrations.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace ss::db {
namespace {

// Serializes migrators of one schema across processes; released with the transaction.
constexpr const char* kLockSchema =
    "SELECT pg_advisory_xact_lock(hashtext('streamspace.migrate.' || $1))";
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS {}.schema_migrations("
    "version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";
constexpr const char* kCurrentVersion =
    "SELECT coalesce(max(version), 0) FROM {}.schema_migrations";
constexpr const char* kRecordMigration =
    "INSERT INTO {}.schema_migrations(version, name) VALUES ($1, $2)";
// Migrations name their tables without a schema; they land in the service's own schema.
constexpr const char* kUseSchema = "SET LOCAL search_path TO {}, public";

std::vector<const Migration*> InVersionOrder(const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  for (const auto& migration : migrations)
    ordered.push_back(&migration);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  for (size_t i = 0; i < ordered.size(); ++i) {
    if (ordered[i]->version <= 0 || (i > 0 && ordered[i]->version == ordered[i - 1]->version)) {
      throw std::logic_error(
          fmt::format("migration {} has a bad or duplicate version", ordered[i]->name));
    }
  }
  return ordered;
}

}  // namespace

int Migrate(pqxx::connection& connection, std::string_view schema,
            const std::vector<Migration>& migrations) {
  const auto ordered = InVersionOrder(migrations);
  const std::string quoted_schema = connection.quote_name(std::string(schema));
  pqxx::work transaction(connection, "migrate");
  transaction.exec_params(kLockSchema, std::string(schema));
  transaction.exec(fmt::format(kCreateMigrationsTable, quoted_schema));
  const int current = transaction.exec1(fmt::format(kCurrentVersion, quoted_schema))[0].as<int>();
  transaction.exec(fmt::format(kUseSchema, quoted_schema));
  int applied = 0;
  for (const Migration* migration : ordered) {
    if (migration->version <= current)
      continue;
    spdlog::info("migrating {} to version {} ({})", schema, migration->version, migration->name);
    transaction.exec(std::string(migration->sql));
    transaction.exec_params(fmt::format(kRecordMigration, quoted_schema), migration->version,
                            std::string(migration->name));
    ++applied;
  }
  transaction.commit();
  if (applied == 0)
    spdlog::info("schema {} is at version {}", schema, current);
  return applied;
}

PoolPtr OpenAndMigrate(const core::Config& config, std::string_view schema,
                       const std::vector<Migration>& migrations) {
  auto pool = std::make_unique<Pool>(
      PoolOptions{.conninfo = ConnInfo(config), .size = config.GetInt("DB_POOL_SIZE")});
  const auto deadline = std::chrono::steady_clock::now() + config.GetDuration("DB_START_TIMEOUT");
  for (;;) {
    try {
      pool->With([&](pqxx::connection& connection) { Migrate(connection, schema, migrations); });
      return pool;
    } catch (const Unavailable& error) {
      if (std::chrono::steady_clock::now() >= deadline)
        throw;
      spdlog::warn("{}; trying again in 1 s", error.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace ss::db
