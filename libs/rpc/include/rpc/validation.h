// Input rules that every service's API shares (DESIGN.md, API conventions).
#pragma once

#include <grpcpp/grpcpp.h>

#include <string_view>

namespace ss::rpc {

// Lists: `pageSize` 0 means the default; more than the maximum is refused.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// OK with the page size to use, or INVALID_ARGUMENT.
grpc::Status CheckPageSize(int requested, int* effective);

// 8-4-4-4-12 hexadecimal digits (either case), as ids made by Postgres' gen_random_uuid().
bool IsUuid(std::string_view text);

}  // namespace ss::rpc
