#include "peers.h"

namespace ss::nodes {
namespace {

namespace auth = streamspace::auth::v1;
namespace session = streamspace::session::v1;

// The largest page ListSessions gives; a user with more sessions takes more than one call.
constexpr int kSessionPageSize = 500;

}  // namespace

GrpcPeers::GrpcPeers(std::shared_ptr<grpc::Channel> auth, std::shared_ptr<grpc::Channel> session,
                     std::shared_ptr<authn::ServiceCredentials> credentials,
                     std::chrono::milliseconds deadline)
    : auth_(auth::AuthService::NewStub(std::move(auth))),
      session_(session::SessionService::NewStub(std::move(session))),
      credentials_(std::move(credentials)),
      deadline_(deadline) {}

grpc::Status GrpcPeers::Prepare(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  return credentials_->Authorize(context);
}

grpc::Status GrpcPeers::UserCounts(streamspace::nodes::v1::UserCounts* counts) {
  grpc::ClientContext context;
  if (grpc::Status status = Prepare(&context); !status.ok())
    return status;
  auth::UserStats stats;
  const grpc::Status status = auth_->GetUserStats(&context, auth::GetUserStatsRequest(), &stats);
  if (status.ok()) {
    counts->set_total(stats.total());
    counts->set_active(stats.active());
  }
  return status;
}

grpc::Status GrpcPeers::ActiveConnections(const std::string& username, int32_t* connections) {
  session::ListSessionsRequest request;
  request.set_user(username);
  request.set_page_size(kSessionPageSize);
  int32_t sum = 0;
  do {
    grpc::ClientContext context;
    if (grpc::Status status = Prepare(&context); !status.ok())
      return status;
    session::ListSessionsResponse page;
    if (grpc::Status status = session_->ListSessions(&context, request, &page); !status.ok())
      return status;
    for (const session::Session& one : page.sessions())
      sum += one.active_connections();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  *connections = sum;
  return grpc::Status::OK;
}

}  // namespace ss::nodes
