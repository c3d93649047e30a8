#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "db/pool.h"

namespace ss::tracker {
namespace {

namespace pb = streamspace::tracker::v1;

// The first line of an error only: Postgres puts the failing row in DETAIL.
std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find('\n'));
}

template <typename Fn>
grpc::Status Guarded(std::string_view method, Fn&& fn) {
  try {
    return fn();
  } catch (const db::Unavailable& e) {
    spdlog::error("{}: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable");
  } catch (const pqxx::broken_connection& e) {
    spdlog::error("{}: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable");
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, FirstLine(e.what()));
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
}

}  // namespace

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
  return Guarded("RecordConnection", [&] { return tracker_.Record(*request, response); });
}

grpc::Status TrackerGrpcService::Disconnect(grpc::ServerContext* context,
                                            const pb::DisconnectRequest* request,
                                            pb::DisconnectResponse* response) {
  rpc::Call call(*context, guard_, "Disconnect");
  if (!call.ok())
    return call.status();
  return Guarded("Disconnect",
                 [&] { return tracker_.Disconnect(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::Heartbeat(grpc::ServerContext* context,
                                           const pb::HeartbeatRequest* request,
                                           pb::HeartbeatResponse* response) {
  rpc::Call call(*context, guard_, "Heartbeat");
  if (!call.ok())
    return call.status();
  return Guarded("Heartbeat",
                 [&] { return tracker_.Heartbeat(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::ListConnections(grpc::ServerContext* context,
                                                 const pb::ListConnectionsRequest* request,
                                                 pb::ListConnectionsResponse* response) {
  rpc::Call call(*context, guard_, "ListConnections");
  if (!call.ok())
    return call.status();
  return Guarded("ListConnections",
                 [&] { return tracker_.List(call.principal(), *request, response); });
}

grpc::Status TrackerGrpcService::CloseSession(grpc::ServerContext* context,
                                              const pb::CloseSessionRequest* request,
                                              pb::CloseSessionResponse*) {
  rpc::Call call(*context, guard_, "CloseSession");
  if (!call.ok())
    return call.status();
  return Guarded("CloseSession", [&] { return tracker_.CloseSession(*request); });
}

}  // namespace ss::tracker
