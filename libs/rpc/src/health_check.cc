#include "rpc/health_check.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <future>
#include <vector>

namespace ss::rpc {

ServingState DecodeServingState(const grpc::ByteBuffer& response) {
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok())
    return kUnknown;
  std::string bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  // Field 1, varint: tag 0x08 and one byte; an empty message is the default, UNKNOWN.
  if (bytes.size() != 2 || bytes[0] != 0x08 || bytes[1] < kUnknown || bytes[1] > kServiceUnknown)
    return kUnknown;
  return static_cast<ServingState>(bytes[1]);
}

std::string_view ServingStateName(ServingState state) {
  constexpr std::string_view kNames[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  return kNames[state];
}

ServingState CheckHealth(const std::string& address, std::chrono::milliseconds timeout,
                         std::string& detail) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  // HealthCheckRequest{service: ""} serializes to nothing, but the buffer must exist.
  grpc::Slice empty;
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, kHealthCheckMethod, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    detail = status.error_message();
    return kNotServing;
  }
  return DecodeServingState(response);
}

}  // namespace ss::rpc
