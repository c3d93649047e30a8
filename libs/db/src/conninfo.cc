#include "db/detail/conninfo.h"

#include <fmt/format.h>

#include <cctype>

#include "db/pool.h"

namespace ss::db {
namespace detail {

std::string QuoteConnValue(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::map<std::string, std::string> ParseConnInfo(std::string_view conninfo) {
  std::map<std::string, std::string> pairs;
  size_t i = 0;
  const auto skip_space = [&] {
    while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i])))
      ++i;
  };
  while (true) {
    skip_space();
    const size_t key_start = i;
    while (i < conninfo.size() && conninfo[i] != '=' &&
           !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
      ++i;
    }
    std::string key(conninfo.substr(key_start, i - key_start));
    skip_space();
    if (key.empty() || i >= conninfo.size() || conninfo[i] != '=')
      return pairs;
    ++i;
    skip_space();
    std::string value;
    if (i < conninfo.size() && conninfo[i] == '\'') {
      for (++i; i < conninfo.size() && conninfo[i] != '\''; ++i) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size())
          ++i;
        value += conninfo[i];
      }
      if (i >= conninfo.size())
        return pairs;
      ++i;
    } else {
      for (; i < conninfo.size() && !std::isspace(static_cast<unsigned char>(conninfo[i])); ++i) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size())
          ++i;
        value += conninfo[i];
      }
    }
    pairs[std::move(key)] = std::move(value);
  }
}

}  // namespace detail

std::vector<core::Variable> DatabaseVariables(std::string_view service) {
  return {
      {"DB_HOST", "127.0.0.1", "PostgreSQL host name, address, or Unix socket directory."},
      {"DB_PORT", "5432", "PostgreSQL port."},
      {"DB_USER", std::string(service), "Database role of this service (owns its schema)."},
      {"DB_PASSWORD", "", "Password of DB_USER.", true},
      {"DB_NAME", "streamspace", "Database that holds every service's schema."},
      {"DB_POOL_SIZE", "8", "Most database connections this process keeps open."},
      {"DB_START_TIMEOUT", "60s",
       "At start, how long an unreachable database is tried again (every second)."},
      {"DB_APPLICATION_NAME", std::string(service), "Name this process shows in pg_stat_activity."},
  };
}

std::string ConnInfo(const core::Config& config) {
  using detail::QuoteConnValue;
  // connect_timeout bounds a connect to an unreachable host (libpq waits forever by default).
  return fmt::format(
      "host={} port={} user={} password={} dbname={} application_name={} connect_timeout=5",
      QuoteConnValue(config.Get("DB_HOST")),
      QuoteConnValue(std::to_string(config.GetInt("DB_PORT"))),
      QuoteConnValue(config.Get("DB_USER")), QuoteConnValue(config.Get("DB_PASSWORD")),
      QuoteConnValue(config.Get("DB_NAME")), QuoteConnValue(config.Get("DB_APPLICATION_NAME")));
}

}  // namespace ss::db
