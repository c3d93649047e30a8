// The gRPC face of the tracker: every handler checks access first (rpc::Handle), then hands the
// request to ConnectionTracker and turns failures of the database into UNAVAILABLE.
#pragma once

#include "connection_tracker.h"
#include "rpc/audit.h"
#include "rpc/call.h"
#include "streamspace/tracker/v1/tracker.grpc.pb.h"

namespace ss::tracker {

class TrackerGrpcService final : public streamspace::tracker::v1::TrackerService::Service {
 public:
  TrackerGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                     std::shared_ptr<rpc::Auditor> auditor, ConnectionTracker& tracker);

  grpc::Status RecordConnection(grpc::ServerContext* context,
                                const streamspace::tracker::v1::RecordConnectionRequest* request,
                                streamspace::tracker::v1::Connection* response) override;
  grpc::Status Disconnect(grpc::ServerContext* context,
                          const streamspace::tracker::v1::DisconnectRequest* request,
                          streamspace::tracker::v1::DisconnectResponse* response) override;
  grpc::Status Heartbeat(grpc::ServerContext* context,
                         const streamspace::tracker::v1::HeartbeatRequest* request,
                         streamspace::tracker::v1::HeartbeatResponse* response) override;
  grpc::Status ListConnections(
      grpc::ServerContext* context, const streamspace::tracker::v1::ListConnectionsRequest* request,
      streamspace::tracker::v1::ListConnectionsResponse* response) override;
  grpc::Status CloseSession(grpc::ServerContext* context,
                            const streamspace::tracker::v1::CloseSessionRequest* request,
                            streamspace::tracker::v1::CloseSessionResponse* response) override;

 private:
  rpc::AccessGuard guard_;
  ConnectionTracker& tracker_;
};

}  // namespace ss::tracker
