#include "sweeper_lease.h"

#include <spdlog/spdlog.h>

namespace ss::tracker {
namespace {

// One lock key for every tracker replica of the database.
constexpr const char* kTryLockSql =
    "SELECT pg_try_advisory_lock(hashtext('streamspace.tracker.sweeper'))";
constexpr const char* kUnlockSql =
    "SELECT pg_advisory_unlock(hashtext('streamspace.tracker.sweeper'))";
constexpr const char* kPingSql = "SELECT 1";
// A replica cut off from the database (not dead, so its socket is never closed) must not keep
// the lock for the hours of the system's TCP keepalive defaults: both ends probe after 10 s.
constexpr const char* kClientKeepalives =
    " keepalives=1 keepalives_idle=10 keepalives_interval=5 keepalives_count=3";
constexpr const char* kServerKeepalivesSql =
    "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
    "SET tcp_keepalives_count = 3";

}  // namespace

SweeperLease::SweeperLease(std::string conninfo)
    : conninfo_(std::move(conninfo) + kClientKeepalives) {}

SweeperLease::~SweeperLease() {
  Release();
}

bool SweeperLease::Hold() {
  try {
    if (!connection_ || !connection_->is_open()) {
      held_ = false;
      connection_ = std::make_unique<pqxx::connection>(conninfo_);
      pqxx::nontransaction setup(*connection_);
      setup.exec(kServerKeepalivesSql);
    }
    pqxx::nontransaction tx(*connection_);
    if (held_) {
      tx.exec(kPingSql);
      return true;
    }
    held_ = tx.exec1(kTryLockSql)[0].as<bool>();
    if (held_)
      spdlog::info("this replica now runs the sweeper");
    return held_;
  } catch (const std::exception& e) {
    if (held_)
      spdlog::warn("sweeper lock lost with its database connection: {}", e.what());
    else
      spdlog::debug("sweeper lock not taken: {}", e.what());
    held_ = false;
    connection_.reset();
    return false;
  }
}

void SweeperLease::Release() {
  if (!held_ || !connection_)
    return;
  try {
    pqxx::nontransaction tx(*connection_);
    tx.exec(kUnlockSql);
    spdlog::info("sweeper lock released");
  } catch (const std::exception& e) {
    spdlog::warn("sweeper lock not released cleanly: {}", e.what());
  }
  held_ = false;
  connection_.reset();
}

}  // namespace ss::tracker
