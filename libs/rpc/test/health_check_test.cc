#include "rpc/health_check.h"

#include <catch2/catch.hpp>

namespace {

grpc::ByteBuffer Buffer(std::string bytes) {
  grpc::Slice slice(std::move(bytes));
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

TEST_CASE("a HealthCheckResponse decodes to its state; anything else is UNKNOWN") {
  using namespace ss::rpc;
  CHECK(DecodeServingState(Buffer(std::string("\x08\x01", 2))) == kServing);
  CHECK(DecodeServingState(Buffer(std::string("\x08\x02", 2))) == kNotServing);
  CHECK(DecodeServingState(Buffer(std::string("\x08\x03", 2))) == kServiceUnknown);
  CHECK(DecodeServingState(Buffer("")) == kUnknown);
  CHECK(DecodeServingState(Buffer(std::string("\x08\x09", 2))) == kUnknown);
  CHECK(DecodeServingState(Buffer(std::string("\x10\x01", 2))) == kUnknown);
  CHECK(DecodeServingState(Buffer(std::string("\x08\x01\x00", 3))) == kUnknown);
  CHECK(ServingStateName(kNotServing) == "NOT_SERVING");
}

TEST_CASE("CheckHealth reports a server that is not there as NOT_SERVING, with the reason") {
  std::string detail;
  CHECK(ss::rpc::CheckHealth("127.0.0.1:1", std::chrono::milliseconds(500), detail) ==
        ss::rpc::kNotServing);
  CHECK_FALSE(detail.empty());
}
