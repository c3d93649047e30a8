// Issue 2 acceptance on the auth service's own gRPC port: health, reflection, the access check,
// and two replicas sharing one database.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "auth_stack.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {
namespace {

namespace auth = streamspace::auth::v1;
namespace health = grpc::health::v1;
namespace reflection = grpc::reflection::v1alpha;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(10);
}

std::set<std::string> ListServices(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = reflection::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionRequest request;
  request.set_list_services("*");
  REQUIRE(stream->Write(request));
  stream->WritesDone();
  reflection::ServerReflectionResponse response;
  std::set<std::string> names;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      names.insert(service.name());
    }
  }
  const auto status = stream->Finish();
  INFO(status.error_message());
  REQUIRE(status.ok());
  return names;
}

auth::LoginResponse GrpcLogin(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& password) {
  auto stub = auth::AuthService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  auth::LoginRequest request;
  request.set_username("admin");
  request.set_password(password);
  auth::LoginResponse response;
  const auto status = stub->Login(&context, request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response;
}

grpc::Status GrpcGetMe(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                       auth::User* user) {
  auto stub = auth::AuthService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  if (!token.empty())
    context.AddMetadata("authorization", "Bearer " + token);
  return stub->GetMe(&context, {}, user);
}

}  // namespace

TEST_CASE("auth answers health, lists its services by reflection, and checks access", "[grpc]") {
  StackOptions options;
  options.gateway = false;
  AuthStack stack(options);
  const auto channel = stack.AuthChannel();

  auto health_stub = health::Health::NewStub(channel);
  for (const std::string service : {"", "streamspace.auth.v1.AuthService"}) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    health::HealthCheckRequest request;
    request.set_service(service);
    health::HealthCheckResponse response;
    const auto status = health_stub->Check(&context, request, &response);
    INFO("health of '" << service << "': " << status.error_message());
    REQUIRE(status.ok());
    CHECK(response.status() == health::HealthCheckResponse::SERVING);
  }

  const auto services = ListServices(channel);
  CHECK(services.count("streamspace.auth.v1.AuthService") == 1);
  CHECK(services.count("grpc.health.v1.Health") == 1);
  CHECK(services.count("grpc.reflection.v1alpha.ServerReflection") == 1);

  auth::User user;
  CHECK(GrpcGetMe(channel, "", &user).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(GrpcGetMe(channel, "not.a.token", &user).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  {
    auto stub = auth::AuthService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    auth::ListUsersResponse response;
    CHECK(stub->ListUsers(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    // Revocations are for services only: an admin's user token is not enough.
    const auto admin = GrpcLogin(channel, stack.admin_password());
    stack.Remember(admin.token());
    auto stub = auth::AuthService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    context.AddMetadata("authorization", "Bearer " + admin.token());
    auth::ListRevocationsResponse response;
    CHECK(stub->ListRevocations(&context, {}, &response).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("two auth replicas on one database migrate once and accept each other's tokens",
          "[replicas]") {
  StackOptions options;
  options.gateway = false;
  options.auth_replicas = 2;
  AuthStack stack(options);

  const std::string migrations = stack.postgres().Query(
      "SELECT count(*), count(DISTINCT version) FROM auth.schema_migrations");
  INFO("schema_migrations: " << migrations);
  const auto tab = migrations.find('\t');
  REQUIRE(tab != std::string::npos);
  const int rows = std::stoi(migrations.substr(0, tab));
  const int versions = std::stoi(migrations.substr(tab + 1));
  CHECK(rows > 0);
  CHECK(rows == versions);

  for (size_t issuer = 0; issuer < 2; ++issuer) {
    const size_t verifier = 1 - issuer;
    INFO("token from replica " << issuer << " checked by replica " << verifier);
    const auto login = GrpcLogin(stack.AuthChannel(issuer), stack.admin_password());
    stack.Remember(login.token());
    auth::User user;
    const auto status = GrpcGetMe(stack.AuthChannel(verifier), login.token(), &user);
    INFO(status.error_message());
    REQUIRE(status.ok());
    CHECK(user.username() == "admin");
  }
  for (auto& replica : stack.auth())
    CHECK(replica.process->Running());
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
