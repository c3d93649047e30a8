// session.activity: the activity the tracker reported to any replica, shared by every replica.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/pool.h"

namespace ss::session {

struct ActivityRow {
  std::string id;
  int active_connections = 0;
  std::string last_activity;
};

class ActivityStore {
 public:
  explicit ActivityStore(db::Pool& pool) : pool_(pool) {}
  void Record(const ActivityRow& row);
  // Rows changed after sequence `after` (updated to the newest seen).
  std::vector<ActivityRow> ChangedSince(int64_t* after);

 private:
  db::Pool& pool_;
};

}  // namespace ss::session
