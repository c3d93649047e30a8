// ss_db against a real PostgreSQL (tests/support/postgres.h): migrations under concurrency, a
// pool that survives its connections being killed, and statements declared once that run on
// every connection of it.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "core/config.h"
#include "db/migrations.h"
#include "db/pool.h"
#include "db/query.h"
#include "postgres.h"

using namespace std::chrono_literals;

namespace {

ss::test::PostgresInstance& Postgres() {
  static ss::test::PostgresInstance instance;
  return instance;
}

// The configuration a service would read from its environment.
ss::core::Config ServiceConfig(const ss::test::ServiceRole& role) {
  const auto env = Postgres().ServiceEnvironment(role);
  const std::map<std::string, std::string> values(env.begin(), env.end());
  return ss::core::Config::FromValues(ss::db::DatabaseVariables(role.user), values);
}

std::string ServiceConnInfo(const ss::test::ServiceRole& role) {
  return ss::db::ConnInfo(ServiceConfig(role));
}

// Declared as a store declares its statements: nothing else prepares it.
constexpr ss::db::Query kBackendPid{"test_backend_pid", "SELECT pg_backend_pid()"};

int BackendPid(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  return ss::db::Execute(work, kBackendPid)[0][0].as<int>();
}

std::string Trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

const std::vector<ss::db::Migration> kWidgetMigrations = {
    {1, "0001_widgets.sql", "CREATE TABLE widgets(id int PRIMARY KEY, name text NOT NULL);"},
    // Applied twice, this would insert a second row.
    {2, "0002_seed.sql", "INSERT INTO widgets(id, name) SELECT count(*) + 1, 'seed' FROM widgets;"},
};

}  // namespace

TEST_CASE("migrations apply once, in order, and only the new ones on a second run") {
  const auto role = Postgres().CreateServiceRole("migrate_seq");
  pqxx::connection connection(ServiceConnInfo(role));
  // Given out of order: the runner sorts them.
  std::vector<ss::db::Migration> migrations = {kWidgetMigrations[1], kWidgetMigrations[0]};
  CHECK(ss::db::Migrate(connection, role.schema, migrations) == 2);
  CHECK(ss::db::Migrate(connection, role.schema, migrations) == 0);
  migrations.push_back({3, "0003_color.sql", "ALTER TABLE widgets ADD COLUMN color text;"});
  CHECK(ss::db::Migrate(connection, role.schema, migrations) == 1);
  CHECK(Postgres().Query("SELECT version, name FROM migrate_seq.schema_migrations ORDER BY 1") ==
        "1\t0001_widgets.sql\n2\t0002_seed.sql\n3\t0003_color.sql\n");
  CHECK(Trimmed(Postgres().Query("SELECT count(*) FROM migrate_seq.widgets")) == "1");
}

TEST_CASE("a failing migration leaves the schema as it was") {
  const auto role = Postgres().CreateServiceRole("migrate_fail");
  pqxx::connection connection(ServiceConnInfo(role));
  auto migrations = kWidgetMigrations;
  migrations.push_back({3, "0003_broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;"});
  CHECK_THROWS_AS(ss::db::Migrate(connection, role.schema, migrations), pqxx::sql_error);
  CHECK(Trimmed(Postgres().Query(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'migrate_fail'")) == "0");
  migrations.pop_back();
  CHECK(ss::db::Migrate(connection, role.schema, migrations) == 2);
}

TEST_CASE("replicas migrating one schema at once apply each migration exactly once") {
  const auto role = Postgres().CreateServiceRole("migrate_race");
  const std::string conninfo = ServiceConnInfo(role);
  constexpr int kReplicas = 6;
  std::vector<std::unique_ptr<pqxx::connection>> connections;
  for (int i = 0; i < kReplicas; ++i) {
    connections.push_back(std::make_unique<pqxx::connection>(conninfo));
  }
  std::atomic<int> ready{0};
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kReplicas)
        std::this_thread::yield();
      try {
        applied.fetch_add(ss::db::Migrate(*connections[i], "migrate_race", kWidgetMigrations));
      } catch (const std::exception&) {
        failures.fetch_add(1);
      }
    });
  }
  for (auto& replica : replicas)
    replica.join();
  CHECK(failures.load() == 0);
  CHECK(applied.load() == 2);
  CHECK(Trimmed(Postgres().Query("SELECT count(*) FROM migrate_race.schema_migrations")) == "2");
  CHECK(Trimmed(Postgres().Query("SELECT count(*) FROM migrate_race.widgets")) == "1");
}

TEST_CASE("OpenAndMigrate hands back the pool with the schema migrated") {
  const auto role = Postgres().CreateServiceRole("open_migrate");
  const ss::db::PoolPtr pool =
      ss::db::OpenAndMigrate(ServiceConfig(role), role.schema, kWidgetMigrations);
  const int widgets = pool->With([](pqxx::connection& connection) {
    pqxx::nontransaction work(connection);
    return work.exec1("SELECT count(*) FROM open_migrate.widgets")[0].as<int>();
  });
  CHECK(widgets == 1);
  // A restart: nothing left to apply.
  ss::db::OpenAndMigrate(ServiceConfig(role), role.schema, kWidgetMigrations);
  CHECK(Trimmed(Postgres().Query("SELECT count(*) FROM open_migrate.widgets")) == "1");
}

TEST_CASE("a declared statement runs on every new connection of the pool, and again on each") {
  const auto role = Postgres().CreateServiceRole("query_fresh");
  ss::db::Pool pool({ServiceConnInfo(role), 2, 2000ms});
  // Two connections at once: the second is new as well.
  const auto [outer, inner] = pool.With([&pool](pqxx::connection& first) {
    const int inner_pid = pool.With([](pqxx::connection& second) { return BackendPid(second); });
    return std::pair(BackendPid(first), inner_pid);
  });
  CHECK(outer != inner);
  CHECK(pool.With([](pqxx::connection& connection) {
    return BackendPid(connection) == BackendPid(connection);
  }));
}

TEST_CASE("two statements of one name are refused, not mixed up") {
  const auto role = Postgres().CreateServiceRole("query_clash");
  ss::db::Pool pool({ServiceConnInfo(role), 1, 2000ms});
  static constexpr ss::db::Query kSameName{kBackendPid.name, "SELECT 0"};
  const auto run_same_name = [](pqxx::connection& connection) {
    pqxx::nontransaction work(connection);
    ss::db::Execute(work, kSameName);
  };
  pool.With(BackendPid);
  CHECK_THROWS_AS(pool.With(run_same_name), pqxx::argument_error);
}

TEST_CASE("the pool replaces a connection whose backend was terminated") {
  const auto role = Postgres().CreateServiceRole("pool_reconnect");
  ss::db::Pool pool({ServiceConnInfo(role), 1, 2000ms});
  const auto backend_pid = [&pool] { return pool.With(BackendPid); };
  const int first = backend_pid();
  CHECK(backend_pid() == first);

  SECTION("while idle in the pool: the new connection runs the declared statement") {
    Postgres().Query("SELECT pg_terminate_backend(" + std::to_string(first) + ")");
    std::this_thread::sleep_for(100ms);
    const int second = backend_pid();
    CHECK(second != first);
    CHECK(backend_pid() == second);
  }

  SECTION("while in use: the work runs once more on a new connection") {
    int attempts = 0;
    const int second = pool.With([&](pqxx::connection& connection) {
      ++attempts;
      const int pid = BackendPid(connection);
      if (attempts == 1) {
        Postgres().Query("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
        std::this_thread::sleep_for(100ms);
        pqxx::nontransaction work(connection);
        work.exec("SELECT 1");
      }
      return pid;
    });
    CHECK(attempts == 2);
    CHECK(second != first);
    CHECK(backend_pid() == second);
  }
}

TEST_CASE("a caller waits for a free connection, then gives up with Unavailable") {
  const auto role = Postgres().CreateServiceRole("pool_wait");
  ss::db::Pool pool({ServiceConnInfo(role), 1, 200ms});
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    pool.With([&](pqxx::connection&) {
      holding = true;
      std::this_thread::sleep_for(600ms);
    });
  });
  while (!holding)
    std::this_thread::yield();
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(pool.With([](pqxx::connection&) {}),
                    Catch::Contains("no free database connection"));
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= 190ms);
  CHECK(waited < 500ms);
  holder.join();
  CHECK_NOTHROW(pool.With([](pqxx::connection&) {}));
}

TEST_CASE("a wrong password is Unavailable and the message does not show it") {
  auto role = Postgres().CreateServiceRole("pool_badpass");
  role.password = "not-the-password-" + role.password;
  ss::db::Pool pool({ServiceConnInfo(role), 1, 200ms});
  try {
    pool.With([](pqxx::connection&) {});
    FAIL("connected with a wrong password");
  } catch (const ss::db::Unavailable& error) {
    CHECK_THAT(error.what(), Catch::Contains("pool_badpass@127.0.0.1"));
    CHECK_THAT(error.what(), !Catch::Contains(role.password));
  }
}
