// Sign-in state in schema auth: sign-ins, revocations and failed logins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "authn/revocation_list.h"
#include "db/pool.h"
#include "login_throttle.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

class SessionStore {
 public:
  explicit SessionStore(db::Pool& pool) : pool_(pool) {}

  // Recent failures of this account and address, and the database's clock, in one round trip.
  RecentFailures Failures(const std::string& username, const std::string& address,
                          const ThrottlePolicy& policy, int64_t* now_ms);
  void RecordFailure(const std::string& username, const std::string& address);

  // Whether a token of this sign-in, issued at `issued_at_ms`, may still be renewed: the sign-in
  // has not ended or expired and no revocation of the user since covers it. Authoritative,
  // unlike the verifiers' revocation lists, which trail the table by up to a poll.
  bool Renewable(const std::string& session_id, const std::string& user_id, int64_t issued_at_ms);

  // Logout: the sign-in ends and its access tokens are revoked until expires_at_ms.
  void RevokeSession(const std::string& session_id, int64_t expires_at_ms);

  // Revocations after the cursor that have not expired, oldest first, at most `limit`.
  authn::RevocationBatch Revocations(int64_t after, int limit);

  // Drops expired revocations and sign-ins and failures older than the throttle window.
  void PruneExpired(const ThrottlePolicy& policy);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
