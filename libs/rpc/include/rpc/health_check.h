// The client side of grpc.health.v1 without generated code: the request of Health/Check is empty
// and its response one enum field, so both are coded by hand here.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <chrono>
#include <string>
#include <string_view>

namespace ss::rpc {

inline constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";

// HealthCheckResponse.ServingStatus.
enum ServingState : int { kUnknown = 0, kServing = 1, kNotServing = 2, kServiceUnknown = 3 };

// The state a HealthCheckResponse carries; kUnknown for anything that is not one.
ServingState DecodeServingState(const grpc::ByteBuffer& response);
std::string_view ServingStateName(ServingState state);

// Asks the server at `address` (plain text, as the services listen) for the health of the whole
// server. Waits at most `timeout`; a failed call reports kNotServing and its reason in `detail`.
ServingState CheckHealth(const std::string& address, std::chrono::milliseconds timeout,
                         std::string& detail);

}  // namespace ss::rpc
