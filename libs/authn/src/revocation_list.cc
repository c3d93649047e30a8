#include "authn/revocation_list.h"

#include <algorithm>

namespace ss::authn {

void RevocationList::Apply(const RevocationBatch& batch, int64_t now_ms) {
  for (const Revocation& entry : batch.revocations) {
    if (entry.expires_at_ms <= now_ms)
      continue;
    if (!entry.session_id.empty()) {
      int64_t& expiry = sessions_[entry.session_id];
      expiry = std::max(expiry, entry.expires_at_ms);
    }
    if (!entry.user_id.empty()) {
      UserEntry& user = users_[entry.user_id];
      user.not_before_ms = std::max(user.not_before_ms, entry.not_before_ms);
      user.expires_at_ms = std::max(user.expires_at_ms, entry.expires_at_ms);
    }
  }
  cursor_ = std::max(cursor_, batch.latest);
  Prune(now_ms);
}

bool RevocationList::IsRevoked(const Claims& claims) const {
  if (!sessions_.empty() && !claims.session_id.empty() &&
      sessions_.find(claims.session_id) != sessions_.end()) {
    return true;
  }
  if (users_.empty())
    return false;
  const auto user = users_.find(claims.subject);
  return user != users_.end() && claims.issued_at_ms < user->second.not_before_ms;
}

void RevocationList::Prune(int64_t now_ms) {
  std::erase_if(sessions_, [now_ms](const auto& entry) { return entry.second <= now_ms; });
  std::erase_if(users_,
                [now_ms](const auto& entry) { return entry.second.expires_at_ms <= now_ms; });
}

}  // namespace ss::authn
