// gRPC server bootstrap shared by every service: the synchronous API on a bounded thread pool,
// grpc.health.v1, server reflection, request metrics, and a drain on SIGTERM.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace ss::rpc {

struct ServerOptions {
  // host:port; port 0 picks a free one (see Server::port()).
  std::string address = "127.0.0.1:0";
  // Upper bound on threads serving calls (gRPC resource quota). The synchronous server refuses a
  // call beyond it with RESOURCE_EXHAUSTED instead of queueing it, so size it above the expected
  // concurrency; idle threads cost only their stacks.
  int max_threads = 64;
  // How long in-flight calls may run after SIGTERM before they are cancelled.
  std::chrono::milliseconds drain_timeout{10000};
  // A client connection is asked to move on (GOAWAY) after this long, so that clients resolve the
  // service's name again and spread over replicas added since; calls and streams in flight
  // finish on the old connection. Zero: connections live forever.
  std::chrono::milliseconds max_connection_age{0};
};

class Server {
 public:
  // Starts serving the services (not owned; they must outlive the server). Throws if the address
  // cannot be bound.
  Server(const ServerOptions& options, const std::vector<grpc::Service*>& services);
  ~Server();

  int port() const { return port_; }

  // Waits for SIGTERM or SIGINT (blocked with core::BlockShutdownSignals), then reports
  // NOT_SERVING, stops accepting and drains in-flight calls up to the drain timeout.
  void RunUntilSignal();

  // Stops now, draining as above (tests and error paths).
  void Shutdown();

 private:
  ServerOptions options_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// GRPC_ADDR (default `default_address`) and GRPC_THREADS (default `default_threads`, with
// `threads_help` saying what holds a thread in this service).
std::vector<core::Variable> ServerVariables(std::string default_address, int default_threads,
                                            std::string threads_help);
// The variables of a service process: core::ProcessVariables (logging, METRICS_PORT with
// `default_metrics_port`) and the ServerVariables above.
std::vector<core::Variable> ServerVariables(int default_metrics_port, std::string default_address,
                                            int default_threads, std::string threads_help);

// A service process's serving loop: `services` on GRPC_ADDR with at most GRPC_THREADS threads,
// Prometheus metrics on METRICS_PORT, one log line saying where, then RunUntilSignal().
void ServeUntilSignal(const core::Config& config, std::string_view process,
                      const std::vector<grpc::Service*>& services);

}  // namespace ss::rpc
