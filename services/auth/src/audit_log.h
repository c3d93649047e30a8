// The audit log's rules at auth: what RecordAudit accepts from the services, and the admins'
// listing (GET /api/v1/admin/audit).
#pragma once

#include "audit_store.h"
#include "core/config.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

struct AuditOptions {
  // Events older than this are pruned.
  int retention_days = 90;
};

class AuditLog {
 public:
  AuditLog(AuditStore& store, AuditOptions options) : store_(store), options_(options) {}

  grpc::Status Record(const streamspace::auth::v1::RecordAuditRequest& request);
  grpc::Status List(const streamspace::auth::v1::ListAuditEventsRequest& request,
                    streamspace::auth::v1::ListAuditEventsResponse* response);
  void Prune();

 private:
  AuditStore& store_;
  AuditOptions options_;
};

// AUDIT_RETENTION_DAYS.
std::vector<core::Variable> AuditVariables();
AuditOptions AuditOptionsFrom(const core::Config& config);

}  // namespace ss::auth
