// A bounded pool of libpqxx connections. libpqxx blocks, so callers are the services' worker
// threads, never an io thread. A lost connection is dropped and re-established on next use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/errors.h"

namespace ss::db {

struct PoolOptions {
  std::string conninfo;
  int size = 8;
  // How long a caller waits for a free connection before Acquire fails.
  std::chrono::milliseconds acquire_timeout{5000};
};

// Thrown when no connection could be had (database down, pool exhausted past the timeout).
class Unavailable : public core::Unavailable {
 public:
  explicit Unavailable(const std::string& detail) : core::Unavailable("database", detail) {}
};

class Pool {
 public:
  explicit Pool(PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Runs fn(connection). If the connection breaks before a commit (pqxx::broken_connection),
  // the connection is replaced and fn runs once more; a failure with the commit in doubt is not
  // retried. Throws Unavailable when no connection can be had.
  template <typename Fn>
  auto With(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>()));

 private:
  std::unique_ptr<pqxx::connection> Acquire();
  void Release(std::unique_ptr<pqxx::connection> connection, bool broken);

  PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
};

using PoolPtr = std::unique_ptr<Pool>;

// DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME, DB_POOL_SIZE with local defaults; the user
// defaults to the service's own role.
std::vector<core::Variable> DatabaseVariables(std::string_view service);

// A libpq connection string from those variables (values quoted as libpq requires).
std::string ConnInfo(const core::Config& config);

template <typename Fn>
auto Pool::With(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto connection = Acquire();
    try {
      if constexpr (std::is_void_v<decltype(fn(*connection))>) {
        fn(*connection);
        Release(std::move(connection), false);
        return;
      } else {
        auto result = fn(*connection);
        Release(std::move(connection), false);
        return result;
      }
    } catch (const pqxx::broken_connection&) {
      Release(std::move(connection), true);
      if (attempt > 0)
        throw Unavailable("database connection lost");
    } catch (...) {
      const bool broken = !connection->is_open();
      Release(std::move(connection), broken);
      throw;
    }
  }
}

}  // namespace ss::db
