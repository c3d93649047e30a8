// echo-server: serves streamspace.testing.v1.EchoService, answering every call with what it
// received (the request as JSON and the metadata the gateway sent), so that a test can check how
// the gateway transcoded a request. Fail answers with the status it is asked for.
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "authn/remote.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "rpc/call.h"
#include "rpc/server.h"
#include "streamspace/testing/v1/echo.grpc.pb.h"

namespace {

namespace echo = streamspace::testing::v1;

const google::protobuf::ServiceDescriptor& EchoDescriptor() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      echo::EchoService::service_full_name());
}

std::string Metadata(const grpc::ServerContext& context, const std::string& key) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(key);
  return found == metadata.end() ? std::string()
                                 : std::string(found->second.data(), found->second.size());
}

class EchoService final : public echo::EchoService::Service {
 public:
  explicit EchoService(std::shared_ptr<const ss::authn::TokenVerifier> verifier)
      : guard_(EchoDescriptor(), std::move(verifier)) {}

  grpc::Status GetItem(grpc::ServerContext* context, const echo::GetItemRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, "GetItem", *request, reply);
  }
  grpc::Status Search(grpc::ServerContext* context, const echo::SearchRequest* request,
                      echo::Echo* reply) override {
    return Answer(*context, "Search", *request, reply);
  }
  grpc::Status GetItemById(grpc::ServerContext* context, const echo::GetItemByIdRequest* request,
                           echo::Echo* reply) override {
    return Answer(*context, "GetItemById", *request, reply);
  }
  grpc::Status GetMine(grpc::ServerContext* context, const echo::GetMineRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, "GetMine", *request, reply);
  }
  grpc::Status UpdateItem(grpc::ServerContext* context, const echo::UpdateItemRequest* request,
                          echo::Echo* reply) override {
    return Answer(*context, "UpdateItem", *request, reply);
  }
  grpc::Status CreateItem(grpc::ServerContext* context, const echo::CreateItemRequest* request,
                          echo::Echo* reply) override {
    return Answer(*context, "CreateItem", *request, reply);
  }
  grpc::Status Hook(grpc::ServerContext* context, const echo::HookRequest* request,
                    echo::Echo* reply) override {
    return Answer(*context, "Hook", *request, reply);
  }
  grpc::Status GetFile(grpc::ServerContext* context, const echo::GetFileRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, "GetFile", *request, reply);
  }
  grpc::Status GetStats(grpc::ServerContext* context, const echo::GetStatsRequest* request,
                        echo::Echo* reply) override {
    return Answer(*context, "GetStats", *request, reply);
  }
  grpc::Status GetInternal(grpc::ServerContext* context, const echo::GetInternalRequest* request,
                           echo::Echo* reply) override {
    return Answer(*context, "GetInternal", *request, reply);
  }
  grpc::Status Fail(grpc::ServerContext* context, const echo::FailRequest* request,
                    echo::Echo*) override {
    ss::rpc::Call call(*context, guard_, "Fail");
    if (!call.ok())
      return call.status();
    if (request->sleep_ms() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(request->sleep_ms()));
    }
    if (request->retry_after_seconds() > 0) {
      context->AddTrailingMetadata("retry-after", std::to_string(request->retry_after_seconds()));
    }
    return grpc::Status(static_cast<grpc::StatusCode>(request->code()), request->message());
  }

 private:
  grpc::Status Answer(grpc::ServerContext& context, const std::string& method,
                      const google::protobuf::Message& request, echo::Echo* reply) {
    ss::rpc::Call call(context, guard_, method);
    if (!call.ok())
      return call.status();
    reply->set_method(method);
    google::protobuf::util::MessageToJsonString(request, reply->mutable_request_json());
    reply->set_request_id(Metadata(context, "x-request-id"));
    reply->set_client_address(Metadata(context, "x-client-address"));
    reply->set_authorized(!Metadata(context, "authorization").empty());
    reply->set_user(call.principal().username);
    reply->set_count(int64_t{1} << 40);
    return grpc::Status::OK;
  }

  ss::rpc::AccessGuard guard_;
};

}  // namespace

int main(int argc, char** argv) {
  ss::core::BlockShutdownSignals();
  auto variables = ss::authn::AuthnVariables();
  variables.push_back({"GRPC_ADDR", "127.0.0.1:9050", "gRPC listen address."});
  for (auto& variable : ss::core::ProcessVariables(9150))
    variables.push_back(std::move(variable));
  const auto config = ss::core::Config::Load(
      "echo-server", "A test service that answers every call with what it received.",
      std::move(variables), argc, argv);
  ss::core::SetupLogging("echo-server", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  try {
    ss::authn::RemoteVerifier verifier(config, "echo");
    EchoService service(verifier.verifier());
    ss::rpc::ServerOptions options;
    options.address = config.Get("GRPC_ADDR");
    ss::rpc::Server server(options, {&service});
    server.RunUntilSignal();
    return 0;
  } catch (const std::exception& error) {
    spdlog::critical("echo-server cannot start: {}", error.what());
    return 1;
  }
}
