#include "tracker_client.h"

namespace ss::session {

namespace tracker = streamspace::tracker::v1;

GrpcTracker::GrpcTracker(std::shared_ptr<grpc::Channel> channel,
                         std::shared_ptr<authn::ServiceCredentials> credentials,
                         std::chrono::milliseconds deadline)
    : stub_(tracker::TrackerService::NewStub(std::move(channel))),
      credentials_(std::move(credentials)),
      deadline_(deadline) {}

grpc::Status GrpcTracker::Prepare(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  return credentials_->Authorize(context);
}

grpc::Status GrpcTracker::RecordConnection(const tracker::RecordConnectionRequest& request,
                                           tracker::Connection* connection) {
  grpc::ClientContext context;
  if (grpc::Status status = Prepare(&context); !status.ok())
    return status;
  return stub_->RecordConnection(&context, request, connection);
}

grpc::Status GrpcTracker::CloseSession(const std::string& session_id) {
  grpc::ClientContext context;
  if (grpc::Status status = Prepare(&context); !status.ok())
    return status;
  tracker::CloseSessionRequest request;
  request.set_session_id(session_id);
  tracker::CloseSessionResponse response;
  return stub_->CloseSession(&context, request, &response);
}

}  // namespace ss::session
