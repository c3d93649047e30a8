// The gRPC face of the session service: every handler checks access first (rpc::Handle), then
// hands the request to SessionDirectory (or the config store), turning failures of the database
// into UNAVAILABLE. WatchSessions streams the cache's changes from a bounded queue.
#pragma once

#include <chrono>

#include "metrics/registry.h"
#include "platform_config.h"
#include "quotas.h"
#include "rpc/audit.h"
#include "rpc/call.h"
#include "session_cache.h"
#include "session_directory.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::session {

struct WatchOptions {
  // How long a stream's handler waits for an event before it checks for cancellation.
  std::chrono::milliseconds poll{1000};
};

class SessionGrpcService final : public streamspace::session::v1::SessionService::Service {
 public:
  SessionGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                     std::shared_ptr<rpc::Auditor> auditor, SessionDirectory& directory,
                     SessionCache& cache, PlatformConfigStore& config, Quotas& quotas,
                     metrics::Registry& registry, WatchOptions watch_options = {});

  grpc::Status ListSessions(grpc::ServerContext* context,
                            const streamspace::session::v1::ListSessionsRequest* request,
                            streamspace::session::v1::ListSessionsResponse* response) override;
  grpc::Status CreateSession(grpc::ServerContext* context,
                             const streamspace::session::v1::CreateSessionRequest* request,
                             streamspace::session::v1::Session* response) override;
  grpc::Status GetSession(grpc::ServerContext* context,
                          const streamspace::session::v1::GetSessionRequest* request,
                          streamspace::session::v1::Session* response) override;
  grpc::Status UpdateSession(grpc::ServerContext* context,
                             const streamspace::session::v1::UpdateSessionRequest* request,
                             streamspace::session::v1::Session* response) override;
  grpc::Status DeleteSession(grpc::ServerContext* context,
                             const streamspace::session::v1::DeleteSessionRequest* request,
                             streamspace::session::v1::DeleteSessionResponse* response) override;
  grpc::Status ConnectSession(grpc::ServerContext* context,
                              const streamspace::session::v1::ConnectSessionRequest* request,
                              streamspace::session::v1::ConnectSessionResponse* response) override;
  grpc::Status ListUserSessions(grpc::ServerContext* context,
                                const streamspace::session::v1::ListUserSessionsRequest* request,
                                streamspace::session::v1::ListSessionsResponse* response) override;
  grpc::Status GetConfig(grpc::ServerContext* context,
                         const streamspace::session::v1::GetConfigRequest* request,
                         streamspace::session::v1::PlatformConfig* response) override;
  grpc::Status UpdateConfig(grpc::ServerContext* context,
                            const streamspace::session::v1::UpdateConfigRequest* request,
                            streamspace::session::v1::PlatformConfig* response) override;
  grpc::Status WatchSessions(
      grpc::ServerContext* context, const streamspace::session::v1::WatchSessionsRequest* request,
      grpc::ServerWriter<streamspace::session::v1::SessionEvent>* writer) override;
  grpc::Status ReportActivity(grpc::ServerContext* context,
                              const streamspace::session::v1::ReportActivityRequest* request,
                              streamspace::session::v1::ReportActivityResponse* response) override;
  grpc::Status NotifySession(grpc::ServerContext* context,
                             const streamspace::session::v1::NotifySessionRequest* request,
                             streamspace::session::v1::NotifySessionResponse* response) override;

  grpc::Status GetUserQuota(grpc::ServerContext* context,
                            const streamspace::session::v1::GetUserQuotaRequest* request,
                            streamspace::session::v1::UserQuota* response) override;
  grpc::Status SetUserQuota(grpc::ServerContext* context,
                            const streamspace::session::v1::SetUserQuotaRequest* request,
                            streamspace::session::v1::UserQuota* response) override;
  grpc::Status GetGroupQuota(grpc::ServerContext* context,
                             const streamspace::session::v1::GetGroupQuotaRequest* request,
                             streamspace::session::v1::GroupQuota* response) override;
  grpc::Status SetGroupQuota(grpc::ServerContext* context,
                             const streamspace::session::v1::SetGroupQuotaRequest* request,
                             streamspace::session::v1::GroupQuota* response) override;
  grpc::Status ListQuotas(grpc::ServerContext* context,
                          const streamspace::session::v1::ListQuotasRequest* request,
                          streamspace::session::v1::ListQuotasResponse* response) override;
  grpc::Status GetQuota(grpc::ServerContext* context,
                        const streamspace::session::v1::GetQuotaRequest* request,
                        streamspace::session::v1::UserQuota* response) override;
  grpc::Status PutQuota(grpc::ServerContext* context,
                        const streamspace::session::v1::PutQuotaRequest* request,
                        streamspace::session::v1::UserQuota* response) override;
  grpc::Status DeleteQuota(grpc::ServerContext* context,
                           const streamspace::session::v1::DeleteQuotaRequest* request,
                           streamspace::session::v1::DeleteQuotaResponse* response) override;
  grpc::Status GetUserQuotas(grpc::ServerContext* context,
                             const streamspace::session::v1::GetUserQuotasRequest* request,
                             streamspace::session::v1::GetUserQuotasResponse* response) override;

 private:
  rpc::AccessGuard guard_;
  SessionDirectory& directory_;
  SessionCache& cache_;
  PlatformConfigStore& config_;
  Quotas& quotas_;
  metrics::Gauge& watch_streams_;
  const WatchOptions watch_options_;
};

}  // namespace ss::session
