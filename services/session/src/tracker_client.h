// The calls the session service makes to the tracker, with this service's `service` identity.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "authn/remote.h"
#include "streamspace/tracker/v1/tracker.grpc.pb.h"

namespace ss::session {

class Tracker {
 public:
  virtual ~Tracker() = default;
  virtual grpc::Status RecordConnection(
      const streamspace::tracker::v1::RecordConnectionRequest& request,
      streamspace::tracker::v1::Connection* connection) = 0;
  virtual grpc::Status CloseSession(const std::string& session_id) = 0;
};

class GrpcTracker final : public Tracker {
 public:
  GrpcTracker(std::shared_ptr<grpc::Channel> channel,
              std::shared_ptr<authn::ServiceCredentials> credentials,
              std::chrono::milliseconds deadline);

  grpc::Status RecordConnection(const streamspace::tracker::v1::RecordConnectionRequest& request,
                                streamspace::tracker::v1::Connection* connection) override;
  grpc::Status CloseSession(const std::string& session_id) override;

 private:
  // A context with the service token and the deadline; the status when no token could be had.
  grpc::Status Prepare(grpc::ClientContext* context);

  std::unique_ptr<streamspace::tracker::v1::TrackerService::Stub> stub_;
  std::shared_ptr<authn::ServiceCredentials> credentials_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace ss::session
