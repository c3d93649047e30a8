#include "db/detail/conninfo.h"

#include <catch2/catch.hpp>

#include "core/config.h"
#include "db/pool.h"

using ss::core::Config;

TEST_CASE("QuoteConnValue escapes backslashes and single quotes") {
  using ss::db::detail::QuoteConnValue;
  CHECK(QuoteConnValue("plain") == "'plain'");
  CHECK(QuoteConnValue("") == "''");
  CHECK(QuoteConnValue("a b") == "'a b'");
  CHECK(QuoteConnValue(R"(it's a \ test)") == R"('it\'s a \\ test')");
}

TEST_CASE("ParseConnInfo reads what QuoteConnValue writes") {
  using ss::db::detail::ParseConnInfo;
  auto pairs = ParseConnInfo(R"(host=db port = '5432' password='it\'s \\ x=y' user=bob)");
  CHECK(pairs["host"] == "db");
  CHECK(pairs["port"] == "5432");
  CHECK(pairs["password"] == R"(it's \ x=y)");
  CHECK(pairs["user"] == "bob");
  CHECK(ParseConnInfo("host='unterminated").empty());
}

TEST_CASE("DatabaseVariables default to the local database and the service's role") {
  const auto config = Config::FromValues(ss::db::DatabaseVariables("auth"), {});
  CHECK(config.Get("DB_HOST") == "127.0.0.1");
  CHECK(config.GetInt("DB_PORT") == 5432);
  CHECK(config.Get("DB_USER") == "auth");
  CHECK(config.Get("DB_PASSWORD").empty());
  CHECK(config.Get("DB_NAME") == "streamspace");
  CHECK(config.GetInt("DB_POOL_SIZE") == 8);
  const auto variables = ss::db::DatabaseVariables("auth");
  const auto password = std::find_if(variables.begin(), variables.end(),
                                     [](const auto& v) { return v.name == "DB_PASSWORD"; });
  REQUIRE(password != variables.end());
  CHECK(password->secret);
}

TEST_CASE("ConnInfo quotes every value and names the application") {
  const auto config = Config::FromValues(
      ss::db::DatabaseVariables("session"),
      {{"DB_HOST", "/run/postgresql"}, {"DB_PASSWORD", R"(p@ss 'word' \ x)"}, {"DB_PORT", "6543"}});
  const std::string conninfo = ss::db::ConnInfo(config);
  CHECK_THAT(conninfo, Catch::Contains("host='/run/postgresql'"));
  CHECK_THAT(conninfo, Catch::Contains("port='6543'"));
  CHECK_THAT(conninfo, Catch::Contains("user='session'"));
  CHECK_THAT(conninfo, Catch::Contains(R"(password='p@ss \'word\' \\ x')"));
  CHECK_THAT(conninfo, Catch::Contains("dbname='streamspace'"));
  CHECK_THAT(conninfo, Catch::Contains("application_name='session'"));
  auto pairs = ss::db::detail::ParseConnInfo(conninfo);
  CHECK(pairs["password"] == R"(p@ss 'word' \ x)");
}

TEST_CASE("ConnInfo rejects a port that is not a number") {
  const auto config =
      Config::FromValues(ss::db::DatabaseVariables("auth"), {{"DB_PORT", "5432; drop"}});
  CHECK_THROWS_AS(ss::db::ConnInfo(config), ss::core::ConfigError);
}
