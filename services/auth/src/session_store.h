// Sign-in state in schema auth: sign-ins, revocations, failed logins, and what single sign-on
// keeps between two requests (outstanding SAML requests, assertion IDs seen, OpenID logins).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authn/revocation_list.h"
#include "db/pool.h"
#include "login_throttle.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

// An OpenID login between its start and the provider's redirect back.
struct OidcLogin {
  std::string state;
  std::string nonce;
  std::string code_verifier;
  std::string return_to;
};

// A SAML sign-in still open, as StartLogout names it.
struct SamlSession {
  std::string name_id;
  std::string name_id_format;
  std::string session_index;
};

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

  // SAML requests we sent (AuthnRequest, LogoutRequest): kept until `expires_at_ms`; consumed
  // at most once by the answer's InResponseTo (true if it was outstanding).
  void AddSamlRequest(const std::string& id, int64_t expires_at_ms);
  bool ConsumeSamlRequest(const std::string& id);
  // Records an accepted assertion's ID until `keep_until_ms`; false if it was seen (a replay).
  bool RecordSamlAssertion(const std::string& id, int64_t keep_until_ms);
  // The SAML assertion behind a live sign-in, or nullopt (not SAML, or ended).
  std::optional<SamlSession> SamlSessionOf(const std::string& session_id);
  // IdP-initiated logout: ends the live sign-ins of `name_id` from `issuer` (those of
  // `session_indexes`, or all when empty) and revokes their tokens. Returns how many ended.
  int EndSamlSessions(const std::string& issuer, const std::string& name_id,
                      const std::vector<std::string>& session_indexes, int64_t expires_at_ms);

  // An OpenID login in progress, kept until `expires_at_ms`; taken (deleted) once by its state.
  void AddOidcLogin(const OidcLogin& login, int64_t expires_at_ms);
  std::optional<OidcLogin> TakeOidcLogin(const std::string& state);

  // Revocations after the cursor that have not expired, oldest first, at most `limit`.
  authn::RevocationBatch Revocations(int64_t after, int limit);

  // Drops expired revocations, sign-ins and single sign-on state, and failures older than the
  // throttle window.
  void PruneExpired(const ThrottlePolicy& policy);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
