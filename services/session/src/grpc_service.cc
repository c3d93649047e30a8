#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/handler.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;

// Keeps the open-streams gauge right however the handler leaves.
class StreamCount {
 public:
  explicit StreamCount(metrics::Gauge& gauge) : gauge_(gauge) { gauge_.Add(1); }
  ~StreamCount() { gauge_.Add(-1); }
  StreamCount(const StreamCount&) = delete;
  StreamCount& operator=(const StreamCount&) = delete;

 private:
  metrics::Gauge& gauge_;
};

}  // namespace

SessionGrpcService::SessionGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                       std::shared_ptr<rpc::Auditor> auditor,
                                       SessionDirectory& directory, SessionCache& cache,
                                       PlatformConfigStore& config, Quotas& quotas,
                                       metrics::Registry& registry, WatchOptions watch_options)
    : guard_(*pb::Session::descriptor()->file()->FindServiceByName("SessionService"),
             std::move(verifier), std::move(auditor)),
      directory_(directory),
      cache_(cache),
      config_(config),
      quotas_(quotas),
      watch_streams_(registry.GetGauge("session_watch_streams",
                                       "Open WatchSessions streams of this replica.", {})),
      watch_options_(watch_options) {}

grpc::Status SessionGrpcService::ListSessions(grpc::ServerContext* context,
                                              const pb::ListSessionsRequest* request,
                                              pb::ListSessionsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.List(call.principal(), *request, response);
  });
}

grpc::Status SessionGrpcService::CreateSession(grpc::ServerContext* context,
                                               const pb::CreateSessionRequest* request,
                                               pb::Session* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.Create(call.principal(), *request, response);
  });
}

grpc::Status SessionGrpcService::GetSession(grpc::ServerContext* context,
                                            const pb::GetSessionRequest* request,
                                            pb::Session* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.Get(call.principal(), request->name(), response);
  });
}

grpc::Status SessionGrpcService::UpdateSession(grpc::ServerContext* context,
                                               const pb::UpdateSessionRequest* request,
                                               pb::Session* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.Update(call.principal(), *request, response);
  });
}

grpc::Status SessionGrpcService::DeleteSession(grpc::ServerContext* context,
                                               const pb::DeleteSessionRequest* request,
                                               pb::DeleteSessionResponse*) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.Delete(call.principal(), request->name());
  });
}

grpc::Status SessionGrpcService::ConnectSession(grpc::ServerContext* context,
                                                const pb::ConnectSessionRequest* request,
                                                pb::ConnectSessionResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.Connect(call.principal(), *request, call.client_address(), response);
  });
}

grpc::Status SessionGrpcService::ListUserSessions(grpc::ServerContext* context,
                                                  const pb::ListUserSessionsRequest* request,
                                                  pb::ListSessionsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return directory_.ListOfUser(call.principal(), *request, response);
  });
}

grpc::Status SessionGrpcService::GetConfig(grpc::ServerContext* context,
                                           const pb::GetConfigRequest* request,
                                           pb::PlatformConfig* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    *response = config_.Current();
    return grpc::Status::OK;
  });
}

grpc::Status SessionGrpcService::UpdateConfig(grpc::ServerContext* context,
                                              const pb::UpdateConfigRequest* request,
                                              pb::PlatformConfig* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    grpc::Status status = config_.Update(*request, response);
    if (status.ok())
      spdlog::info("platform config changed by {}", call.principal().username);
    return status;
  });
}

grpc::Status SessionGrpcService::WatchSessions(grpc::ServerContext* context,
                                               const pb::WatchSessionsRequest* request,
                                               grpc::ServerWriter<pb::SessionEvent>* writer) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    const rpc::Principal& caller = call.principal();
    pb::SessionEvent event;
    const std::shared_ptr<Subscription> subscription =
        cache_.Subscribe(caller.privileged() ? std::string() : caller.username, &event);
    spdlog::info("session stream opened for {}", caller.username);
    StreamCount open(watch_streams_);
    if (!writer->Write(event))
      return grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed");
    while (rpc::StreamOpen(*context)) {
      if (!subscription->Pop(&event, watch_options_.poll)) {
        if (subscription->overflowed()) {
          spdlog::warn("session stream ended: its reader fell too far behind");
          return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                              "the stream fell too far behind; subscribe again");
        }
        continue;
      }
      if (!writer->Write(event))
        return grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed");
    }
    return rpc::StreamEnded();
  });
}

grpc::Status SessionGrpcService::ReportActivity(grpc::ServerContext* context,
                                                const pb::ReportActivityRequest* request,
                                                pb::ReportActivityResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return directory_.ReportActivity(*request); });
}

grpc::Status SessionGrpcService::NotifySession(grpc::ServerContext* context,
                                               const pb::NotifySessionRequest* request,
                                               pb::NotifySessionResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return directory_.Notify(*request); });
}

grpc::Status SessionGrpcService::GetUserQuota(grpc::ServerContext* context,
                                              const pb::GetUserQuotaRequest* request,
                                              pb::UserQuota* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return quotas_.GetUser(call.principal(), request->user_id(), response);
  });
}

grpc::Status SessionGrpcService::SetUserQuota(grpc::ServerContext* context,
                                              const pb::SetUserQuotaRequest* request,
                                              pb::UserQuota* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.SetUser(*request, response); });
}

grpc::Status SessionGrpcService::GetGroupQuota(grpc::ServerContext* context,
                                               const pb::GetGroupQuotaRequest* request,
                                               pb::GroupQuota* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return quotas_.GetGroup(request->group_id(), response);
  });
}

grpc::Status SessionGrpcService::SetGroupQuota(grpc::ServerContext* context,
                                               const pb::SetGroupQuotaRequest* request,
                                               pb::GroupQuota* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.SetGroup(*request, response); });
}

grpc::Status SessionGrpcService::ListQuotas(grpc::ServerContext* context,
                                            const pb::ListQuotasRequest* request,
                                            pb::ListQuotasResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.List(response); });
}

grpc::Status SessionGrpcService::GetQuota(grpc::ServerContext* context,
                                          const pb::GetQuotaRequest* request,
                                          pb::UserQuota* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return quotas_.GetUser(call.principal(), request->username(), response);
  });
}

grpc::Status SessionGrpcService::PutQuota(grpc::ServerContext* context,
                                          const pb::PutQuotaRequest* request,
                                          pb::UserQuota* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.Put(*request, response); });
}

grpc::Status SessionGrpcService::DeleteQuota(grpc::ServerContext* context,
                                             const pb::DeleteQuotaRequest* request,
                                             pb::DeleteQuotaResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.Delete(request->username()); });
}

grpc::Status SessionGrpcService::GetUserQuotas(grpc::ServerContext* context,
                                               const pb::GetUserQuotasRequest* request,
                                               pb::GetUserQuotasResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return quotas_.GetMany(*request, response); });
}

}  // namespace ss::session
