#include "session_peer.h"

namespace ss::tracker {

namespace pb = streamspace::session::v1;

GrpcSessionPeer::GrpcSessionPeer(std::shared_ptr<grpc::Channel> channel,
                                 std::shared_ptr<authn::ServiceCredentials> credentials,
                                 std::chrono::milliseconds deadline)
    : stub_(pb::SessionService::NewStub(channel)),
      credentials_(std::move(credentials)),
      deadline_(deadline) {}

bool GrpcSessionPeer::Prepare(grpc::ClientContext* context, grpc::Status* status) {
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  *status = credentials_->Authorize(context);
  return status->ok();
}

grpc::Status GrpcSessionPeer::ListSessions(const pb::ListSessionsRequest& request,
                                           pb::ListSessionsResponse* response) {
  grpc::ClientContext context;
  grpc::Status status;
  if (!Prepare(&context, &status))
    return status;
  return stub_->ListSessions(&context, request, response);
}

grpc::Status GrpcSessionPeer::GetSession(const std::string& session_id, pb::Session* session) {
  grpc::ClientContext context;
  grpc::Status status;
  if (!Prepare(&context, &status))
    return status;
  pb::GetSessionRequest request;
  request.set_name(session_id);
  return stub_->GetSession(&context, request, session);
}

grpc::Status GrpcSessionPeer::SetState(const std::string& session_id, const std::string& state) {
  grpc::ClientContext context;
  grpc::Status status;
  if (!Prepare(&context, &status))
    return status;
  pb::UpdateSessionRequest request;
  request.set_name(session_id);
  request.set_state(state);
  pb::Session session;
  return stub_->UpdateSession(&context, request, &session);
}

grpc::Status GrpcSessionPeer::Notify(const pb::NotifySessionRequest& request) {
  grpc::ClientContext context;
  grpc::Status status;
  if (!Prepare(&context, &status))
    return status;
  pb::NotifySessionResponse response;
  return stub_->NotifySession(&context, request, &response);
}

grpc::Status GrpcSessionPeer::ReportActivity(const pb::ReportActivityRequest& request) {
  grpc::ClientContext context;
  grpc::Status status;
  if (!Prepare(&context, &status))
    return status;
  pb::ReportActivityResponse response;
  return stub_->ReportActivity(&context, request, &response);
}

std::vector<core::Variable> SessionPeerVariables() {
  return {{"SESSION_ADDR", "127.0.0.1:9002",
           "gRPC address of the session service (owners, hibernate, terminate, warnings, "
           "activity)."}};
}

SessionPeerPtr SessionPeerFrom(const core::Config& config,
                               std::shared_ptr<authn::ServiceCredentials> credentials) {
  return std::make_shared<GrpcSessionPeer>(
      grpc::CreateChannel(config.Get("SESSION_ADDR"), grpc::InsecureChannelCredentials()),
      std::move(credentials));
}

}  // namespace ss::tracker
