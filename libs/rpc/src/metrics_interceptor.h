// Request metrics for every gRPC call: grpc_server_handled_total{method,code} and
// grpc_server_handling_seconds{method} in the process's default registry.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>

namespace ss::rpc::detail {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory();

// "OK", "NOT_FOUND", ... as gRPC spells its codes.
const char* CodeName(grpc::StatusCode code);

}  // namespace ss::rpc::detail
