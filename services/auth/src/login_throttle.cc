#include "login_throttle.h"

#include <algorithm>

namespace ss::auth {

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
