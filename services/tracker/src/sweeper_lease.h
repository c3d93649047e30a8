// Which tracker replica sweeps: the one holding a Postgres advisory lock on a connection of its
// own. The lock lives as long as that connection's session, so a replica that dies (or loses the
// database) gives it up without any clean-up, and another one takes it at its next attempt.
#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace ss::tracker {

class SweeperLease {
 public:
  explicit SweeperLease(std::string conninfo);
  ~SweeperLease();
  SweeperLease(const SweeperLease&) = delete;
  SweeperLease& operator=(const SweeperLease&) = delete;

  // True while this process holds the lock: takes it if it is free, and checks that the
  // connection holding it is still alive. Never throws; a lost connection means not leading.
  bool Hold();
  // Gives the lock up (shutdown).
  void Release();

 private:
  std::string conninfo_;
  std::unique_ptr<pqxx::connection> connection_;
  bool held_ = false;
};

}  // namespace ss::tracker
