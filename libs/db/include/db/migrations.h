// Numbered SQL migrations per service, compiled into the binary (cmake/Embed.cmake) and applied
// at start in one transaction under an advisory lock, so N replicas starting together migrate
// once.
#pragma once

#include <pqxx/pqxx>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "db/pool.h"

namespace ss::db {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Applies, in order and in one transaction, every migration newer than the schema's recorded
// version; records them in <schema>.schema_migrations. Returns how many ran.
int Migrate(pqxx::connection& connection, std::string_view schema,
            const std::vector<Migration>& migrations);

// A service's start: the pool of the DB_* variables (DatabaseVariables), with the service's schema
// migrated through one of its connections. PostgreSQL may start after the service (compose,
// a cluster): an unreachable database is tried again every second for DB_START_TIMEOUT. Throws
// when it stays unreachable or a migration fails.
PoolPtr OpenAndMigrate(const core::Config& config, std::string_view schema,
                       const std::vector<Migration>& migrations);

}  // namespace ss::db
