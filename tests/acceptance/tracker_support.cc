#include "tracker_support.h"

#include <catch2/catch.hpp>

#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {

namespace pb = streamspace::tracker::v1;

PlatformOptions TrackerPlatform(const FakeSessionService& sessions, int replicas,
                                const TrackerTimings& timings, bool gateway) {
  PlatformOptions options;
  options.gateway = gateway;
  options.gateway_env["SESSION_ADDR"] = sessions.address();
  options.services.push_back(ServiceSpec{"tracker",
                                         replicas,
                                         {{"SESSION_ADDR", sessions.address()},
                                          {"SWEEP_INTERVAL", timings.sweep_interval},
                                          {"STALE_AFTER", timings.stale_after},
                                          {"IDLE_WARNING_BEFORE", timings.warning_before},
                                          {"CONNECTION_RETENTION", timings.retention}}});
  return options;
}

std::string NewUserToken(PlatformStack& stack, const std::string& username) {
  namespace auth = streamspace::auth::v1;
  auto stub = auth::AuthService::NewStub(stack.auth().AuthChannel());
  const auto login = [&](const std::string& name, const std::string& password) {
    grpc::ClientContext context;
    auth::LoginRequest request;
    request.set_username(name);
    request.set_password(password);
    auth::LoginResponse response;
    const grpc::Status status = stub->Login(&context, request, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return response.token();
  };
  const std::string admin = login("admin", stack.auth().admin_password());
  const std::string password = "Pw-" + RandomString(20);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin);
  auth::CreateUserRequest request;
  request.set_username(username);
  request.set_role("user");
  request.set_password(password);
  auth::User user;
  const grpc::Status status = stub->CreateUser(&context, request, &user);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return login(username, password);
}

TrackerClient::TrackerClient(std::shared_ptr<grpc::Channel> channel, std::string token)
    : stub_(pb::TrackerService::NewStub(channel)), token_(std::move(token)) {}

void TrackerClient::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context->AddMetadata("authorization", "Bearer " + token_);
}

grpc::Status TrackerClient::Record(const std::string& session_id, const std::string& user,
                                   const std::string& idle_timeout, pb::Connection* connection) {
  grpc::ClientContext context;
  Prepare(&context);
  pb::RecordConnectionRequest request;
  request.set_session_id(session_id);
  request.set_user(user);
  request.set_client_address("203.0.113.7");
  request.set_user_agent("tracker-acceptance/1.0");
  request.set_idle_timeout(idle_timeout);
  return stub_->RecordConnection(&context, request, connection);
}

pb::Connection TrackerClient::Connect(const std::string& session_id, const std::string& user,
                                      const std::string& idle_timeout) {
  pb::Connection connection;
  const grpc::Status status = Record(session_id, user, idle_timeout, &connection);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return connection;
}

grpc::Status TrackerClient::Heartbeat(const std::string& session_id,
                                      const std::string& connection_id,
                                      pb::HeartbeatResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  pb::HeartbeatRequest request;
  request.set_session_id(session_id);
  request.set_connection_id(connection_id);
  pb::HeartbeatResponse ignored;
  return stub_->Heartbeat(&context, request, response ? response : &ignored);
}

grpc::Status TrackerClient::List(const std::string& session_id,
                                 pb::ListConnectionsResponse* response) {
  grpc::ClientContext context;
  Prepare(&context);
  pb::ListConnectionsRequest request;
  request.set_session_id(session_id);
  request.set_page_size(500);
  return stub_->ListConnections(&context, request, response);
}

std::string TrackerClient::StateOf(const std::string& session_id,
                                   const std::string& connection_id) {
  pb::ListConnectionsResponse response;
  if (!List(session_id, &response).ok())
    return "";
  for (const pb::Connection& connection : response.connections()) {
    if (connection.id() == connection_id)
      return connection.state();
  }
  return "";
}

int IndexOf(const std::vector<SessionCall>& calls, const std::string& kind,
            const std::string& session_id, const std::string& value) {
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].kind == kind && calls[i].session_id == session_id && calls[i].value == value)
      return static_cast<int>(i);
  }
  return -1;
}

}  // namespace ss::test
