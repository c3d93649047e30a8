// What the nodes service asks of the other services, with its own `service` identity: auth's user
// counts (the admin dashboard) and a user's active connections (the sum over their sessions, from
// the session service).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "authn/remote.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "streamspace/nodes/v1/nodes.pb.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::nodes {

class Peers {
 public:
  virtual ~Peers() = default;
  virtual grpc::Status UserCounts(streamspace::nodes::v1::UserCounts* counts) = 0;
  // Connections to the sessions of `username`.
  virtual grpc::Status ActiveConnections(const std::string& username, int32_t* connections) = 0;
};

class GrpcPeers final : public Peers {
 public:
  GrpcPeers(std::shared_ptr<grpc::Channel> auth, std::shared_ptr<grpc::Channel> session,
            std::shared_ptr<authn::ServiceCredentials> credentials,
            std::chrono::milliseconds deadline);

  grpc::Status UserCounts(streamspace::nodes::v1::UserCounts* counts) override;
  grpc::Status ActiveConnections(const std::string& username, int32_t* connections) override;

 private:
  // A context with the service token and the deadline; the status when no token could be had.
  grpc::Status Prepare(grpc::ClientContext* context);

  std::unique_ptr<streamspace::auth::v1::AuthService::Stub> auth_;
  std::unique_ptr<streamspace::session::v1::SessionService::Stub> session_;
  std::shared_ptr<authn::ServiceCredentials> credentials_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace ss::nodes
