// The tracker's API as a plain class: connects, heartbeats, disconnects and lists, with the
// ownership rule (a user reaches only their own connections; another user's answer NOT_FOUND;
// the session service says who owns a session without connections).
// Every change of a session's active connections is handed to the activity reporter.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>

#include "activity_reporter.h"
#include "connection_store.h"
#include "rpc/call.h"
#include "session_peer.h"
#include "streamspace/tracker/v1/tracker.pb.h"

namespace ss::tracker {

class ConnectionTracker {
 public:
  ConnectionTracker(ConnectionStore& store, ActivityReporter& reporter, SessionPeerPtr sessions,
                    std::chrono::milliseconds stale_after)
      : store_(store),
        reporter_(reporter),
        sessions_(std::move(sessions)),
        stale_after_(stale_after) {}

  grpc::Status Record(const streamspace::tracker::v1::RecordConnectionRequest& request,
                      streamspace::tracker::v1::Connection* response);
  grpc::Status Heartbeat(const rpc::Principal& caller,
                         const streamspace::tracker::v1::HeartbeatRequest& request,
                         streamspace::tracker::v1::HeartbeatResponse* response);
  grpc::Status Disconnect(const rpc::Principal& caller,
                          const streamspace::tracker::v1::DisconnectRequest& request,
                          streamspace::tracker::v1::DisconnectResponse* response);
  grpc::Status List(const rpc::Principal& caller,
                    const streamspace::tracker::v1::ListConnectionsRequest& request,
                    streamspace::tracker::v1::ListConnectionsResponse* response);
  grpc::Status CloseSession(const streamspace::tracker::v1::CloseSessionRequest& request);

 private:
  // OK when the caller owns the session; NOT_FOUND when it is another user's or does not exist.
  grpc::Status CheckOwner(const rpc::Principal& caller, const std::string& session_id);

  ConnectionStore& store_;
  ActivityReporter& reporter_;
  SessionPeerPtr sessions_;
  std::chrono::milliseconds stale_after_;
};

// The scope of a heartbeat or disconnect, or INVALID_ARGUMENT: a session name, an optional
// connection UUID, and the caller's username unless the caller is privileged.
grpc::Status ScopeFor(const rpc::Principal& caller, const std::string& session_id,
                      const std::string& connection_id, ConnectionScope* scope);

}  // namespace ss::tracker
