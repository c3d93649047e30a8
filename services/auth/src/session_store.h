// Sign-in state in schema auth: refresh tokens (hashed), revocations and failed logins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "authn/revocation_list.h"
#include "db/pool.h"
#include "login_throttle.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

struct RotatedRefresh {
  enum class Result { kRotated, kReused, kInvalid };
  Result result = Result::kInvalid;
  std::string session_id;
  // Whose sign-in it is (kRotated only).
  std::string user_id;
};

class SessionStore {
 public:
  explicit SessionStore(db::Pool& pool) : pool_(pool) {}

  // Recent failures of this account and address, and the database's clock, in one round trip.
  RecentFailures Failures(const std::string& username, const std::string& address,
                          const ThrottlePolicy& policy, int64_t* now_ms);
  void RecordFailure(const std::string& username, const std::string& address);

  // Swaps a live refresh token for a new one of the same sign-in, atomically. A token that was
  // already used (kReused) ends its whole sign-in: its session is revoked until
  // session_expires_at_ms.
  RotatedRefresh Rotate(const std::string& old_hash_hex, const std::string& new_hash_hex,
                        int64_t refresh_ttl_ms, int64_t session_expires_at_ms);

  // Logout: the session's access tokens are revoked until expires_at_ms, its refresh tokens end.
  void RevokeSession(const std::string& session_id, int64_t expires_at_ms);

  // Revocations after the cursor that have not expired, oldest first, at most `limit`.
  authn::RevocationBatch Revocations(int64_t after, int limit);

  // Drops expired revocations and refresh tokens and failures older than the throttle window.
  void PruneExpired(const ThrottlePolicy& policy);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
