// Helpers of the tracker's acceptance tests: a platform stack with the tracker (and the fake
// session service it calls), and the tracker's calls over gRPC and through the gateway.
#pragma once

#include <memory>
#include <string>

#include "platform_stack.h"
#include "streamspace/tracker/v1/tracker.grpc.pb.h"
#include "tracker_fake_session.h"

namespace ss::test {

// Short timeouts so that the sweeper acts within seconds.
struct TrackerTimings {
  std::string sweep_interval = "1s";
  std::string stale_after = "2s";
  std::string warning_before = "2s";
  std::string retention = "1h";
};

// Tracker replicas calling `sessions`, with or without the gateway in front.
PlatformOptions TrackerPlatform(const FakeSessionService& sessions, int replicas = 1,
                                const TrackerTimings& timings = {}, bool gateway = false);

// A new user (role user) signed in over auth's gRPC port, for stacks without the gateway.
std::string NewUserToken(PlatformStack& stack, const std::string& username);

class TrackerClient {
 public:
  TrackerClient(std::shared_ptr<grpc::Channel> channel, std::string token);

  grpc::Status Record(const std::string& session_id, const std::string& user,
                      const std::string& idle_timeout,
                      streamspace::tracker::v1::Connection* connection);
  // Records and requires success.
  streamspace::tracker::v1::Connection Connect(const std::string& session_id,
                                               const std::string& user,
                                               const std::string& idle_timeout);
  grpc::Status Heartbeat(const std::string& session_id, const std::string& connection_id,
                         streamspace::tracker::v1::HeartbeatResponse* response = nullptr);
  grpc::Status List(const std::string& session_id,
                    streamspace::tracker::v1::ListConnectionsResponse* response);
  // The state of one connection as ListConnections shows it ("" when not listed).
  std::string StateOf(const std::string& session_id, const std::string& connection_id);

 private:
  void Prepare(grpc::ClientContext* context) const;

  std::unique_ptr<streamspace::tracker::v1::TrackerService::Stub> stub_;
  std::string token_;
};

// The position of the first recorded call matching kind and value, or -1.
int IndexOf(const std::vector<SessionCall>& calls, const std::string& kind,
            const std::string& session_id, const std::string& value);

}  // namespace ss::test
