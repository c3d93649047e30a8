// A SQL statement declared once, name and text together, beside the store that runs it (as
// userver's storages::postgres::Query), and run with Execute. Nothing lists a service's
// statements: each connection of the pool, also one that replaced a lost connection, prepares a
// statement the first time it runs it.
#pragma once

#include <pqxx/pqxx>
#include <utility>

namespace ss::db {

struct Query {
  // Unique within the service: one connection serves all its stores.
  const char* name;
  const char* sql;
};

// Runs `query` in `tx` with `args` as its parameters. Defining the statement on the connection
// again is a lookup; libpqxx sends it to the server on its first execution there.
template <typename... Args>
pqxx::result Execute(pqxx::transaction_base& tx, const Query& query, Args&&... args) {
  tx.conn().prepare(query.name, query.sql);
  return tx.exec_prepared(query.name, std::forward<Args>(args)...);
}

}  // namespace ss::db
