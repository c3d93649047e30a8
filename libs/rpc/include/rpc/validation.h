// Input rules that every service's API shares (DESIGN.md, API conventions).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ss::rpc {

// The statuses of refused input and of a missing object, so that every service words them alike.
grpc::Status Invalid(std::string message);
grpc::Status NotFound(std::string message);

// Lists: `pageSize` 0 means the default; more than the maximum is refused.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// OK with the page size to use, or INVALID_ARGUMENT.
grpc::Status CheckPageSize(int requested, int* effective);

// 8-4-4-4-12 hexadecimal digits (either case), as ids made by Postgres' gen_random_uuid().
bool IsUuid(std::string_view text);

// Usernames: 1-32 characters of [a-z0-9._-], compared case-insensitively, stored lower-case.
inline constexpr std::size_t kMaxUsername = 32;
// The username in lower case, or nullopt when it breaks the rule above.
std::optional<std::string> NormalizeUsername(std::string_view username);

}  // namespace ss::rpc
