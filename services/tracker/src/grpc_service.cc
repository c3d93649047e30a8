#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/handler.h"

namespace ss::tracker {
namespace pb = streamspace::tracker::v1;

TrackerGrpcService::TrackerGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                       std::shared_ptr<rpc::Auditor> auditor,
                                       ConnectionTracker& tracker)
    : guard_(*pb::Connection::descriptor()->file()->FindServiceByName("TrackerService"),
             std::move(verifier), std::move(auditor)),
      tracker_(tracker) {}

grpc::Status TrackerGrpcService::RecordConnection(grpc::ServerContext* context,
                                                  const pb::RecordConnectionRequest* request,
                                                  pb::Connection* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return tracker_.Record(*request, response); });
}

grpc::Status TrackerGrpcService::Disconnect(grpc::ServerContext* context,
                                            const pb::DisconnectRequest* request,
                                            pb::DisconnectResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tracker_.Disconnect(call.principal(), *request, response);
  });
}

grpc::Status TrackerGrpcService::Heartbeat(grpc::ServerContext* context,
                                           const pb::HeartbeatRequest* request,
                                           pb::HeartbeatResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tracker_.Heartbeat(call.principal(), *request, response);
  });
}

grpc::Status TrackerGrpcService::ListConnections(grpc::ServerContext* context,
                                                 const pb::ListConnectionsRequest* request,
                                                 pb::ListConnectionsResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return tracker_.List(call.principal(), *request, response);
  });
}

grpc::Status TrackerGrpcService::CloseSession(grpc::ServerContext* context,
                                              const pb::CloseSessionRequest* request,
                                              pb::CloseSessionResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return tracker_.CloseSession(*request); });
}

}  // namespace ss::tracker
