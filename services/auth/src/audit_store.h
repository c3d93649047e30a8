// The audit log in schema auth (migrations/004): one row per recorded call, written before the
// change with outcome `pending` and completed with its outcome (rpc/audit.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "rpc/audit.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

struct AuditFilter {
  std::optional<std::string> username;
  std::optional<std::string> method;
  std::optional<std::string> outcome;
  std::optional<std::string> object;
  // RFC 3339.
  std::optional<std::string> since;
  std::optional<std::string> until;
};

// Where a page resumes: the time (RFC 3339 with milliseconds) and id of the last event served.
struct AuditCursor {
  std::string time;
  std::string id;
};

struct AuditPage {
  std::vector<streamspace::auth::v1::AuditEvent> events;
  int total = 0;
  bool more = false;
};

class AuditStore {
 public:
  explicit AuditStore(db::Pool& pool) : pool_(pool) {}

  // Inserts each event, or completes a pending one with the same id; one transaction.
  void Write(const std::vector<streamspace::auth::v1::AuditEvent>& events);
  // Newest first.
  AuditPage List(const AuditFilter& filter, const std::optional<AuditCursor>& after, int limit);
  // Drops events older than `days`.
  void PruneOlderThan(int days);

 private:
  db::Pool& pool_;
};

// auth's own records go straight to its table.
class StoreAuditSink final : public rpc::AuditSink {
 public:
  explicit StoreAuditSink(AuditStore& store) : store_(store) {}
  grpc::Status Write(const std::vector<streamspace::auth::v1::AuditEvent>& events) override;

 private:
  AuditStore& store_;
};

}  // namespace ss::auth
