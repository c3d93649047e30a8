#include "rpc/server.h"

#include <grpcpp/generic/generic_stub.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "core/errors.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "metrics/registry.h"
#include "rpc/handler.h"
#include "rpc/health_check.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "test_doubles.h"

namespace auth = streamspace::auth::v1;
using namespace std::chrono_literals;

namespace {

// Before any thread exists, so that a SIGTERM in the drain test reaches only sigwait.
const bool kSignalsBlocked = (ss::core::BlockShutdownSignals(), true);

// Answers GetMe with what the call saw: the principal, the request id, the client address and the
// method. GetUser takes a while, to be in flight when the server drains; ids "unavailable" and
// "throws" make its body throw.
class EchoAuthService final : public auth::AuthService::Service {
 public:
  EchoAuthService()
      : guard_(ss::rpc::testing::AuthServiceDescriptor(),
               std::make_shared<ss::rpc::testing::FakeVerifier>()) {}

  grpc::Status GetMe(grpc::ServerContext* context, const auth::GetMeRequest* request,
                     auth::User* user) override {
    return ss::rpc::Handle(*context, guard_, *request,
                           [&](const ss::rpc::Call& call) { return Echo(call, user); });
  }

  grpc::Status GetUser(grpc::ServerContext* context, const auth::GetUserRequest* request,
                       auth::User* user) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      if (request->id() == "unavailable")
        throw ss::core::Unavailable("database", "connection refused\nDETAIL: a row");
      if (request->id() == "throws")
        throw std::runtime_error("broken");
      std::this_thread::sleep_for(300ms);
      user->set_id(request->id());
      return grpc::Status::OK;
    });
  }

  static grpc::Status Echo(const ss::rpc::Call& call, auth::User* user) {
    user->set_id(call.principal().user_id);
    user->set_username(call.principal().username);
    user->set_role(call.principal().role);
    user->set_email(ss::core::CurrentRequestId());
    user->set_full_name(call.client_address());
    user->set_last_login(std::string(call.method()));
    return grpc::Status::OK;
  }

 private:
  ss::rpc::AccessGuard guard_;
};

// The same GetMe on gRPC's callback API.
class CallbackAuthService final : public auth::AuthService::CallbackService {
 public:
  CallbackAuthService()
      : guard_(ss::rpc::testing::AuthServiceDescriptor(),
               std::make_shared<ss::rpc::testing::FakeVerifier>()) {}

  grpc::ServerUnaryReactor* GetMe(grpc::CallbackServerContext* context,
                                  const auth::GetMeRequest* request, auth::User* user) override {
    return ss::rpc::HandleUnary(context, guard_, *request, [&](const ss::rpc::Call& call) {
      return EchoAuthService::Echo(call, user);
    });
  }

 private:
  ss::rpc::AccessGuard guard_;
};

struct Client {
  explicit Client(int port)
      : channel(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                    grpc::InsecureChannelCredentials())),
        stub(auth::AuthService::NewStub(channel)) {}

  grpc::Status GetMe(const std::vector<std::pair<std::string, std::string>>& metadata,
                     auth::User* user) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    for (const auto& [key, value] : metadata)
      context.AddMetadata(key, value);
    return stub->GetMe(&context, auth::GetMeRequest(), user);
  }

  // grpc.health.v1.Health/Check by hand (the health protos are not installed): the request is
  // field 1, the service name; the answer's field 1 is 1 for SERVING, 2 for NOT_SERVING.
  int Health(const std::string& service) {
    grpc::GenericStub generic(channel);
    grpc::CompletionQueue queue;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    std::string request;
    if (!service.empty())
      request = std::string{'\x0a', static_cast<char>(service.size())} + service;
    grpc::Slice slice(request);
    grpc::ByteBuffer sent(&slice, 1);
    grpc::ByteBuffer received;
    grpc::Status status;
    auto call = generic.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", sent, &queue);
    call->StartCall();
    call->Finish(&received, &status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    REQUIRE(queue.Next(&tag, &ok));
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    if (!status.ok())
      return -static_cast<int>(status.error_code());
    std::vector<grpc::Slice> slices;
    REQUIRE(received.Dump(&slices).ok());
    std::string answer;
    for (const auto& s : slices)
      answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return answer.size() == 2 && answer[0] == '\x08' ? answer[1] : 0;
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<auth::AuthService::Stub> stub;
};

// Watches the server's overall health ("") over grpc.health.v1.Health/Watch, by hand like Health.
class HealthWatch {
 public:
  explicit HealthWatch(grpc::Channel& channel)
      : generic_(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {})),
        stream_(generic_.PrepareCall(&context_, "/grpc.health.v1.Health/Watch", &queue_)) {
    REQUIRE(Step([&](void* tag) { stream_->StartCall(tag); }));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    REQUIRE(Step([&](void* tag) { stream_->Write(request, tag); }));
    REQUIRE(Step([&](void* tag) { stream_->WritesDone(tag); }));
  }

  ~HealthWatch() {
    context_.TryCancel();
    grpc::Status status;
    Step([&](void* tag) { stream_->Finish(&status, tag); });
    queue_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // The next status sent (1 SERVING, 2 NOT_SERVING), or 0 when the stream ended.
  int Next() {
    grpc::ByteBuffer answer;
    if (!Step([&](void* tag) { stream_->Read(&answer, tag); }))
      return 0;
    std::vector<grpc::Slice> slices;
    REQUIRE(answer.Dump(&slices).ok());
    std::string bytes;
    for (const auto& s : slices)
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return bytes.size() == 2 && bytes[0] == '\x08' ? bytes[1] : -1;
  }

 private:
  template <typename Op>
  bool Step(Op op) {
    op(this);
    void* tag = nullptr;
    bool ok = false;
    return queue_.Next(&tag, &ok) && ok;
  }

  grpc::GenericStub generic_;
  grpc::CompletionQueue queue_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream_;
};

}  // namespace

TEST_CASE("the server enforces access, scopes the request id and records metrics") {
  REQUIRE(kSignalsBlocked);
  EchoAuthService service;
  ss::rpc::Server server({"127.0.0.1:0", 4, 1000ms}, {&service});
  REQUIRE(server.port() > 0);
  Client client(server.port());

  auth::User user;
  const auto refused = client.GetMe({}, &user);
  CHECK(refused.error_code() == grpc::StatusCode::UNAUTHENTICATED);

  const auto ok = client.GetMe({{"authorization", "Bearer user-token"},
                                {"x-request-id", "req-42"},
                                {"x-client-address", "198.51.100.9"}},
                               &user);
  REQUIRE(ok.ok());
  CHECK(user.role() == "user");
  CHECK(user.username() == "user-name");
  CHECK(user.email() == "req-42");
  CHECK(user.full_name() == "198.51.100.9");

  CHECK(client.GetMe({{"authorization", "Bearer user-token"}}, &user).ok());
  CHECK(user.email().size() == 16);
  CHECK_THAT(user.full_name(), Catch::Contains("127.0.0.1"));

  const std::string metrics = ss::metrics::Registry::Default().Render();
  CHECK_THAT(metrics,
             Catch::Contains("grpc_server_handled_total{code=\"UNAUTHENTICATED\",method=\"/"
                             "streamspace.auth.v1.AuthService/GetMe\"} 1\n"));
  CHECK_THAT(metrics, Catch::Contains("grpc_server_handled_total{code=\"OK\",method=\"/"
                                      "streamspace.auth.v1.AuthService/GetMe\"} 2\n"));
  CHECK_THAT(metrics, Catch::Contains("grpc_server_handling_seconds_count{method=\"/"
                                      "streamspace.auth.v1.AuthService/GetMe\"} 3\n"));
}

TEST_CASE("Handle names the method after its handler, on the synchronous and callback APIs") {
  EchoAuthService sync_service;
  CallbackAuthService callback_service;
  ss::rpc::Server sync_server({"127.0.0.1:0", 4, 1000ms}, {&sync_service});
  ss::rpc::Server callback_server({"127.0.0.1:0", 4, 1000ms}, {&callback_service});
  for (const int port : {sync_server.port(), callback_server.port()}) {
    Client client(port);
    auth::User user;
    CHECK(client.GetMe({}, &user).error_code() == grpc::StatusCode::UNAUTHENTICATED);
    REQUIRE(client.GetMe({{"authorization", "Bearer user-token"}, {"x-request-id", "req-7"}}, &user)
                .ok());
    CHECK(user.last_login() == "GetMe");
    CHECK(user.username() == "user-name");
    CHECK(user.email() == "req-7");
  }
}

TEST_CASE("Handle turns what a body throws into UNAVAILABLE or INTERNAL") {
  EchoAuthService service;
  ss::rpc::Server server({"127.0.0.1:0", 4, 1000ms}, {&service});
  Client client(server.port());
  const auto get = [&](const std::string& id) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer user-token");
    auth::GetUserRequest request;
    request.set_id(id);
    auth::User user;
    return client.stub->GetUser(&context, request, &user);
  };
  const grpc::Status unavailable = get("unavailable");
  CHECK(unavailable.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(unavailable.error_message() == "database unavailable");
  const grpc::Status internal = get("throws");
  CHECK(internal.error_code() == grpc::StatusCode::INTERNAL);
  CHECK(internal.error_message() == "internal error");
}

TEST_CASE("health reports SERVING for the server and each service") {
  EchoAuthService service;
  ss::rpc::Server server({"127.0.0.1:0", 4, 1000ms}, {&service});
  Client client(server.port());
  CHECK(client.Health("") == 1);
  CHECK(client.Health("streamspace.auth.v1.AuthService") == 1);
  CHECK(client.Health("grpc.reflection.v1alpha.ServerReflection") == 1);
  CHECK(client.Health("no.such.Service") == -static_cast<int>(grpc::StatusCode::NOT_FOUND));
  std::string detail;
  CHECK(ss::rpc::CheckHealth("127.0.0.1:" + std::to_string(server.port()), 5s, detail) ==
        ss::rpc::kServing);
  CHECK(detail.empty());
}

TEST_CASE("health turns NOT_SERVING when the server shuts down") {
  EchoAuthService service;
  ss::rpc::Server server({"127.0.0.1:0", 4, 500ms}, {&service});
  Client client(server.port());
  HealthWatch watch(*client.channel);
  CHECK(watch.Next() == 1);
  std::thread stopper([&] { server.Shutdown(); });
  CHECK(watch.Next() == 2);
  stopper.join();
}

TEST_CASE("an address that cannot be bound throws") {
  EchoAuthService service;
  ss::rpc::Server first({"127.0.0.1:0", 4, 1000ms}, {&service});
  EchoAuthService other;
  CHECK_THROWS_AS(
      ss::rpc::Server({"127.0.0.1:" + std::to_string(first.port()), 4, 1000ms}, {&other}),
      std::runtime_error);
}

TEST_CASE("SIGTERM drains the call in flight, then the server stops") {
  EchoAuthService service;
  ss::rpc::Server server({"127.0.0.1:0", 4, 5000ms}, {&service});
  Client client(server.port());
  grpc::Status in_flight;
  auth::User user;
  std::thread caller([&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer user-token");
    auth::GetUserRequest request;
    request.set_id("u1");
    in_flight = client.stub->GetUser(&context, request, &user);
  });
  std::this_thread::sleep_for(100ms);
  std::thread runner([&] { server.RunUntilSignal(); });
  kill(getpid(), SIGTERM);
  runner.join();
  caller.join();
  CHECK(in_flight.ok());
  CHECK(user.id() == "u1");
  auth::User after;
  CHECK(client.GetMe({{"authorization", "Bearer user-token"}}, &after).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
}
