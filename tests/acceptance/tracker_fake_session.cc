#include "tracker_fake_session.h"

#include <ctime>

#include "jwt.h"

namespace ss::test {

namespace pb = streamspace::session::v1;

FakeSessionService::FakeSessionService() {
  // The gateway in front of the tracker asks every backend for its health, this one included.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(this);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0)
    throw std::runtime_error("the fake session service could not listen");
}

FakeSessionService::~FakeSessionService() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

void FakeSessionService::Put(pb::Session session) {
  if (session.state().empty())
    session.set_state("running");
  std::lock_guard lock(mutex_);
  sessions_[session.name()] = std::move(session);
}

pb::Session FakeSessionService::Get(const std::string& id) {
  std::lock_guard lock(mutex_);
  return sessions_.at(id);
}

std::vector<SessionCall> FakeSessionService::Calls() {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<SessionCall> FakeSessionService::Calls(const std::string& kind,
                                                   const std::string& session_id) {
  std::vector<SessionCall> matching;
  for (const SessionCall& call : Calls()) {
    if (call.kind == kind && call.session_id == session_id)
      matching.push_back(call);
  }
  return matching;
}

int FakeSessionService::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

bool FakeSessionService::FromService(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto header = metadata.find("authorization");
  bool service = false;
  if (header != metadata.end()) {
    const std::string value(header->second.data(), header->second.size());
    try {
      service = value.rfind("Bearer ", 0) == 0 &&
                DecodeJwt(value.substr(7)).payload.value("role", "") == "service";
    } catch (const std::exception&) {
      service = false;
    }
  }
  if (!service) {
    std::lock_guard lock(mutex_);
    ++refused_;
  }
  return service;
}

grpc::Status FakeSessionService::ListSessions(grpc::ServerContext* context,
                                              const pb::ListSessionsRequest* request,
                                              pb::ListSessionsResponse* response) {
  if (!FromService(*context))
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "service token required");
  // Small pages, so that the tracker's paging is exercised: the token is the last id.
  const int page_size = std::min(request->page_size() > 0 ? request->page_size() : 50, 2);
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.upper_bound(request->page_token()); it != sessions_.end(); ++it) {
    if (!request->state().empty() && it->second.state() != request->state())
      continue;
    if (response->sessions_size() == page_size) {
      response->set_next_page_token(response->sessions().rbegin()->name());
      break;
    }
    *response->add_sessions() = it->second;
  }
  response->set_total(response->sessions_size());
  return grpc::Status::OK;
}

grpc::Status FakeSessionService::GetSession(grpc::ServerContext* context,
                                            const pb::GetSessionRequest* request,
                                            pb::Session* response) {
  if (!FromService(*context))
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "service token required");
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(request->name());
  if (found == sessions_.end())
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such session");
  *response = found->second;
  return grpc::Status::OK;
}

grpc::Status FakeSessionService::UpdateSession(grpc::ServerContext* context,
                                               const pb::UpdateSessionRequest* request,
                                               pb::Session* response) {
  if (!FromService(*context))
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "service token required");
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(request->name());
  if (found == sessions_.end())
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such session");
  found->second.set_state(request->state());
  calls_.push_back({"update", request->name(), request->state(), 0});
  *response = found->second;
  return grpc::Status::OK;
}

grpc::Status FakeSessionService::NotifySession(grpc::ServerContext* context,
                                               const pb::NotifySessionRequest* request,
                                               pb::NotifySessionResponse*) {
  if (!FromService(*context))
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "service token required");
  std::lock_guard lock(mutex_);
  calls_.push_back({"notify", request->session_id(), request->reason(), request->seconds_left()});
  return grpc::Status::OK;
}

grpc::Status FakeSessionService::ReportActivity(grpc::ServerContext* context,
                                                const pb::ReportActivityRequest* request,
                                                pb::ReportActivityResponse*) {
  if (!FromService(*context))
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "service token required");
  std::lock_guard lock(mutex_);
  calls_.push_back(
      {"activity", request->session_id(), request->last_activity(), request->active_connections()});
  auto found = sessions_.find(request->session_id());
  if (found == sessions_.end())
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such session");
  found->second.set_active_connections(request->active_connections());
  found->second.mutable_status()->set_last_activity(request->last_activity());
  return grpc::Status::OK;
}

pb::Session MakeSession(const std::string& id, const std::string& user,
                        const std::string& idle_timeout, const std::string& max_duration,
                        std::chrono::seconds age) {
  pb::Session session;
  session.set_name(id);
  session.set_user(user);
  session.set_template_("firefox");
  session.set_state("running");
  session.set_idle_timeout(idle_timeout);
  session.set_max_session_duration(max_duration);
  const std::time_t created =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - age);
  std::tm utc{};
  gmtime_r(&created, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  session.set_created_at(text);
  session.mutable_status()->set_phase("Running");
  return session;
}

}  // namespace ss::test
