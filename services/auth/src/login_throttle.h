// Login throttling (DESIGN.md, Identity): five failed logins within five minutes for one account
// or one client address refuse further attempts until the oldest of those five leaves the window.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ss::auth {

struct ThrottlePolicy {
  int max_failures = 5;
  std::chrono::milliseconds window{std::chrono::minutes(5)};
};

// What the store reports for one attempt: the time of the max_failures-th most recent failure
// within the window, per account and per address (nullopt when there are fewer).
struct RecentFailures {
  std::optional<int64_t> account_limit_hit_ms;
  std::optional<int64_t> address_limit_hit_ms;
};

// The address that failures are counted by: a gRPC peer ("ipv4:10.0.0.7:53114",
// "ipv6:[::1]:53114") loses its scheme and ephemeral port, so that one client is one address
// across connections; an address forwarded by the gateway is kept as it is. At most 128 bytes.
std::string ThrottleAddress(std::string_view client_address);

// Seconds to wait before trying again (at least 1), or nullopt when the attempt may proceed.
std::optional<int> RetryAfterSeconds(const ThrottlePolicy& policy, const RecentFailures& failures,
                                     int64_t now_ms);

}  // namespace ss::auth
