// The one PostgreSQL fixture of the tests: a throw-away cluster in a temporary directory, started
// on a free loopback port and provisioned like ./scripts/up does it (database `streamspace`, one
// login role and schema per service, the role's search_path set to its schema).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "process.h"

namespace ss::test {

struct ServiceRole {
  std::string user;
  std::string password;
  std::string schema;
};

class PostgresInstance {
 public:
  // initdb (as `postgres` when running as root), start, wait until it accepts connections,
  // create the database. Throws std::runtime_error with the server log on failure.
  PostgresInstance();
  // Fast shutdown by PID (SIGINT, then SIGKILL), then removes the directory.
  ~PostgresInstance();
  PostgresInstance(const PostgresInstance&) = delete;
  PostgresInstance& operator=(const PostgresInstance&) = delete;

  int port() const { return port_; }
  const std::string& database() const { return database_; }

  // Superuser connection string to the database.
  std::string AdminConnInfo() const;

  // Creates (or re-passwords) the role and schema `service`, as scripts/up does.
  ServiceRole CreateServiceRole(const std::string& service);

  // DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD for a service process.
  Environment ServiceEnvironment(const ServiceRole& role) const;

  // The server's own log.
  std::filesystem::path log_path() const { return dir_.path() / "postgres.log"; }

  // Runs SQL as the superuser; returns the rows as tab-separated lines.
  std::string Query(const std::string& sql) const;

 private:
  TempDir dir_;
  std::string database_ = "streamspace";
  std::string superuser_password_;
  int port_ = 0;
  std::unique_ptr<Process> server_;
};

}  // namespace ss::test
