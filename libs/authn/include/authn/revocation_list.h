// Revoked sign-in sessions and users, as polled from the auth service (ListRevocations).
// Not synchronized: the Verifier guards it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "authn/token.h"

namespace ss::authn {

struct Revocation {
  int64_t sequence = 0;
  // Either a sign-in session id (tokens with this `sid` are revoked) ...
  std::string session_id;
  // ... or a user id (their tokens issued before not_before_ms are revoked).
  std::string user_id;
  int64_t not_before_ms = 0;
  // After this, no token the entry could match is still valid.
  int64_t expires_at_ms = 0;
};

struct RevocationBatch {
  std::vector<Revocation> revocations;
  // The cursor to ask from next time.
  int64_t latest = 0;
};

class RevocationList {
 public:
  // Adds the batch's entries (idempotent: an entry seen twice changes nothing) and moves the
  // cursor forward; entries already expired at now_ms are dropped, as are older ones.
  void Apply(const RevocationBatch& batch, int64_t now_ms);

  // True if claims.session_id is revoked, or the token was issued before its user's not-before.
  bool IsRevoked(const Claims& claims) const;

  int64_t cursor() const { return cursor_; }
  std::size_t size() const { return sessions_.size() + users_.size(); }

 private:
  struct UserEntry {
    int64_t not_before_ms = 0;
    int64_t expires_at_ms = 0;
  };
  void Prune(int64_t now_ms);

  std::unordered_map<std::string, int64_t> sessions_;
  std::unordered_map<std::string, UserEntry> users_;
  int64_t cursor_ = 0;
};

}  // namespace ss::authn
