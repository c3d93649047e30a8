#include "rpc/server.h"

#include <fmt/format.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/impl/server_initializer.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/shutdown.h"
#include "metrics/exposer.h"
#include "metrics/registry.h"
#include "metrics_interceptor.h"

namespace ss::rpc {
namespace {

void SetServing(grpc::Server& server, bool serving) {
  auto* health = server.GetHealthCheckService();
  if (health == nullptr)
    return;
  health->SetServingStatus("", serving);
  // The initializer is the public way to read the names of the services the server registered.
  grpc::ServerInitializer initializer(&server);
  for (const auto& service : *initializer.GetServiceList()) {
    health->SetServingStatus(service, serving);
  }
}

}  // namespace

Server::Server(const ServerOptions& options, const std::vector<grpc::Service*>& services)
    : options_(options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.address, grpc::InsecureServerCredentials(), &port_);
  // gRPC binds with SO_REUSEPORT by default, which would let a second process share a taken port
  // silently instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options_.max_connection_age.count() > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               static_cast<int>(options_.max_connection_age.count()));
  }
  grpc::ResourceQuota quota("streamspace-rpc");
  quota.SetMaxThreads(options_.max_threads);
  builder.SetResourceQuota(quota);
  for (auto* service : services)
    builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(detail::MakeMetricsInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    throw std::runtime_error(fmt::format("gRPC: cannot listen on {}", options_.address));
  }
  SetServing(*server_, true);
  spdlog::info("gRPC serving on port {}", port_);
}

Server::~Server() {
  Shutdown();
}

void Server::RunUntilSignal() {
  const int signal = core::WaitForShutdownSignal();
  spdlog::info("signal {}: draining gRPC calls for up to {} ms", signal,
               options_.drain_timeout.count());
  Shutdown();
}

void Server::Shutdown() {
  if (!server_)
    return;
  SetServing(*server_, false);
  server_->Shutdown(std::chrono::system_clock::now() + options_.drain_timeout);
  server_->Wait();
  server_.reset();
}

std::vector<core::Variable> ServerVariables(std::string default_address, int default_threads,
                                            std::string threads_help) {
  return {{"GRPC_ADDR", std::move(default_address), "gRPC listen address (host:port)."},
          {"GRPC_THREADS", std::to_string(default_threads),
           "Most threads serving gRPC calls; a call beyond them is refused (RESOURCE_EXHAUSTED)." +
               (threads_help.empty() ? "" : " " + threads_help)},
          {"GRPC_MAX_CONNECTION_AGE", "60s",
           "A client connection is asked to reconnect after this long (calls in flight finish), "
           "so that callers balancing over replicas find the ones added since; 0s: never."}};
}

std::vector<core::Variable> ServerVariables(int default_metrics_port, std::string default_address,
                                            int default_threads, std::string threads_help) {
  return core::JoinVariables(
      {core::ProcessVariables(default_metrics_port),
       ServerVariables(std::move(default_address), default_threads, std::move(threads_help))});
}

void ServeUntilSignal(const core::Config& config, std::string_view process,
                      const std::vector<grpc::Service*>& services) {
  ServerOptions options;
  options.address = config.Get("GRPC_ADDR");
  options.max_threads = config.GetInt("GRPC_THREADS");
  options.max_connection_age = config.GetDuration("GRPC_MAX_CONNECTION_AGE");
  // Metrics first: once the gRPC port answers, /metrics does too.
  metrics::Exposer exposer(metrics::Registry::Default(), "0.0.0.0", config.GetInt("METRICS_PORT"));
  Server server(options, services);
  spdlog::info("{} serving gRPC on {} (port {}), metrics on port {}", process, options.address,
               server.port(), exposer.port());
  server.RunUntilSignal();
}

}  // namespace ss::rpc
