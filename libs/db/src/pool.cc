#include "db/pool.h"

#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include "db/detail/conninfo.h"

namespace ss::db {
namespace {

// "user@host:port/dbname" for messages: enough to find the database, never the password.
std::string Describe(const std::string& conninfo) {
  auto pairs = detail::ParseConnInfo(conninfo);
  return fmt::format("{}@{}:{}/{}", pairs["user"], pairs["host"], pairs["port"], pairs["dbname"]);
}

// libpq's reason for a failed connect, on one line and with the password blanked out should a
// server or a future libpq ever echo it.
std::string ConnectFailure(const std::string& conninfo, std::string reason) {
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
    reason.pop_back();
  for (auto& c : reason) {
    if (c == '\n' || c == '\t')
      c = ' ';
  }
  const std::string password = detail::ParseConnInfo(conninfo)["password"];
  if (!password.empty()) {
    for (size_t at = reason.find(password); at != std::string::npos;
         at = reason.find(password, at)) {
      reason.replace(at, password.size(), "***");
    }
  }
  return fmt::format("cannot connect to database {}: {}", Describe(conninfo), reason);
}

// An idle connection has nothing to read; if its socket is readable the server has sent a
// termination notice or closed it (a restart, pg_terminate_backend), so it must not be reused.
bool LooksAlive(const pqxx::connection& connection) {
  if (!connection.is_open())
    return false;
  pollfd descriptor{connection.sock(), POLLIN, 0};
  return poll(&descriptor, 1, 0) == 0;
}

}  // namespace

Pool::Pool(PoolOptions options) : options_(std::move(options)) {
  if (options_.size < 1)
    throw std::invalid_argument("database pool size must be at least 1");
}

Pool::~Pool() = default;

std::unique_ptr<pqxx::connection> Pool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (LooksAlive(*connection))
        return connection;
      --open_;
      spdlog::info("dropped a closed database connection");
    }
    if (open_ < options_.size) {
      ++open_;
      lock.unlock();
      try {
        return std::make_unique<pqxx::connection>(options_.conninfo);
      } catch (const pqxx::broken_connection& error) {
        Release(nullptr, true);
        throw Unavailable(ConnectFailure(options_.conninfo, error.what()));
      } catch (...) {
        Release(nullptr, true);
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      throw Unavailable(fmt::format("no free database connection within {} ms (pool size {})",
                                    options_.acquire_timeout.count(), options_.size));
    }
  }
}

void Pool::Release(std::unique_ptr<pqxx::connection> connection, bool broken) {
  {
    std::lock_guard lock(mutex_);
    if (broken || !connection || !connection->is_open()) {
      --open_;
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  available_.notify_one();
}

}  // namespace ss::db
