#include "login_throttle.h"

#include <algorithm>

namespace ss::auth {

std::string ThrottleAddress(std::string_view client_address) {
  constexpr std::size_t kMaxAddress = 128;
  std::string_view address = client_address;
  if (address.starts_with("ipv4:")) {
    address.remove_prefix(5);
    address = address.substr(0, address.rfind(':'));
  } else if (address.starts_with("ipv6:")) {
    address.remove_prefix(5);
    address = address.substr(0, address.rfind(':'));
    if (address.starts_with("%5B") && address.ends_with("%5D")) {
      address = address.substr(3, address.size() - 6);
    } else if (address.starts_with('[') && address.ends_with(']')) {
      address = address.substr(1, address.size() - 2);
    }
  }
  if (address.empty())
    return "unknown";
  return std::string(address.substr(0, kMaxAddress));
}

std::optional<int> RetryAfterSeconds(const ThrottlePolicy& policy, const RecentFailures& failures,
                                     int64_t now_ms) {
  int64_t free_at_ms = 0;
  for (const auto& hit : {failures.account_limit_hit_ms, failures.address_limit_hit_ms}) {
    if (hit)
      free_at_ms = std::max(free_at_ms, *hit + policy.window.count());
  }
  if (free_at_ms <= now_ms)
    return std::nullopt;
  const int64_t wait_ms = free_at_ms - now_ms;
  return static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
}

}  // namespace ss::auth
