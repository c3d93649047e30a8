// The session service as the tracker sees it: the five calls it makes, always with the tracker's
// own `service` identity. Abstract so that the activity reporter and the sweeper can be tested
// against a fake.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "authn/remote.h"
#include "core/config.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::tracker {

class SessionPeer {
 public:
  virtual ~SessionPeer() = default;
  virtual grpc::Status ListSessions(const streamspace::session::v1::ListSessionsRequest& request,
                                    streamspace::session::v1::ListSessionsResponse* response) = 0;
  // One session, whoever owns it (NOT_FOUND when there is none).
  virtual grpc::Status GetSession(const std::string& session_id,
                                  streamspace::session::v1::Session* session) = 0;
  // Sets the desired state ("hibernated", "terminated").
  virtual grpc::Status SetState(const std::string& session_id, const std::string& state) = 0;
  virtual grpc::Status Notify(const streamspace::session::v1::NotifySessionRequest& request) = 0;
  virtual grpc::Status ReportActivity(
      const streamspace::session::v1::ReportActivityRequest& request) = 0;
};

using SessionPeerPtr = std::shared_ptr<SessionPeer>;

// SESSION_ADDR, and the peer at that address that calls with `credentials`.
std::vector<core::Variable> SessionPeerVariables();
SessionPeerPtr SessionPeerFrom(const core::Config& config,
                               std::shared_ptr<authn::ServiceCredentials> credentials);

class GrpcSessionPeer final : public SessionPeer {
 public:
  GrpcSessionPeer(std::shared_ptr<grpc::Channel> channel,
                  std::shared_ptr<authn::ServiceCredentials> credentials,
                  std::chrono::milliseconds deadline = std::chrono::seconds(10));

  grpc::Status ListSessions(const streamspace::session::v1::ListSessionsRequest& request,
                            streamspace::session::v1::ListSessionsResponse* response) override;
  grpc::Status GetSession(const std::string& session_id,
                          streamspace::session::v1::Session* session) override;
  grpc::Status SetState(const std::string& session_id, const std::string& state) override;
  grpc::Status Notify(const streamspace::session::v1::NotifySessionRequest& request) override;
  grpc::Status ReportActivity(
      const streamspace::session::v1::ReportActivityRequest& request) override;

 private:
  // A context with the deadline and the service token; false (and *status) if no token.
  bool Prepare(grpc::ClientContext* context, grpc::Status* status);

  std::unique_ptr<streamspace::session::v1::SessionService::Stub> stub_;
  std::shared_ptr<authn::ServiceCredentials> credentials_;
  std::chrono::milliseconds deadline_;
};

}  // namespace ss::tracker
