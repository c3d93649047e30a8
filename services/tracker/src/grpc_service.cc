#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/guarded.h"

namespace ss::tracker {
namespace pb = streamspace::tracker::v1;

TrackerGrpcService::TrackerGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                       ConnectionTracker& tracker)
    : guard_(*pb::Connection::descriptor()->file()->FindServiceByName("TrackerService"),
             std::move(verifier)),
      tracker_(tracker) {}

grpc::Status TrackerGrpcService::RecordConnection(grpc::ServerContext* context,
                                                  const pb::RecordConnectionRequest* request,
                                                  pb::Connection* response) {
  rpc::Call call(*context, guard_, "RecordConnection");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("RecordConnection", [&] { return tracker_.Record(*request, response); });
}

grpc::Status TrackerGrpcService::Disconnect(grpc::ServerContext* context,
                                            const pb::DisconnectRequest* request,
                                            pb::DisconnectResponse* response) {
  rpc::Call call(*context, guard_, "Disconnect");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("Disconnect",
                      [&] { return tracker_.Disconnect(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::Heartbeat(grpc::ServerContext* context,
                                           const pb::HeartbeatRequest* request,
                                           pb::HeartbeatResponse* response) {
  rpc::Call call(*context, guard_, "Heartbeat");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("Heartbeat",
                      [&] { return tracker_.Heartbeat(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::ListConnections(grpc::ServerContext* context,
                                                 const pb::ListConnectionsRequest* request,
                                                 pb::ListConnectionsResponse* response) {
  rpc::Call call(*context, guard_, "ListConnections");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("ListConnections",
                      [&] { return tracker_.List(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::CloseSession(grpc::ServerContext* context,
                                              const pb::CloseSessionRequest* request,
                                              pb::CloseSessionResponse*) {
  rpc::Call call(*context, guard_, "CloseSession");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("CloseSession", [&] { return tracker_.CloseSession(*request); });
}

}  // namespace ss::tracker
