// session.quotas: the limits of users and groups (by their auth ids); the per-user lock that every
// replica takes around a quota check and the write it admits; session.quota_claims: the writes
// admitted, until every replica's cache shows them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/pool.h"
#include "quota.h"

namespace ss::session {

enum class QuotaSubject { kUser, kGroup };

class QuotaStore {
 public:
  explicit QuotaStore(db::Pool& pool) : pool_(pool) {}

  // Every row, and the version of session.quotas they are at.
  struct Table {
    int64_t version = 0;
    std::map<std::pair<QuotaSubject, std::string>, QuotaRow> rows;
  };
  // The table read in one snapshot with its version; nullopt while the version is `known`.
  std::optional<Table> ReadIfChanged(int64_t known);
  QuotaRow ReadOne(QuotaSubject subject, const std::string& id);
  // Every user's row (user id -> row).
  std::map<std::string, QuotaRow> ReadUsers();
  // The rows of these users (absent ones are left out).
  std::map<std::string, QuotaRow> ReadUsers(const std::vector<std::string>& user_ids);
  // Stores `row` (a row with nothing set is deleted); returns what is stored.
  QuotaRow Write(QuotaSubject subject, const std::string& id, const QuotaRow& row);

  // What runs under the lock: given the user's other claims of the last minute, checks and
  // writes; it may rename the claimed session (a create that met a name collision).
  using Locked =
      std::function<grpc::Status(const std::vector<QuotaClaim>& others, std::string* session)>;
  // Takes the lock of `username` and claims `intended` (one round trip), runs `locked`, and
  // commits the claim when it answers OK (else the claim is rolled back). Every replica's checks
  // for one user run one at a time. `locked` runs at most once, even when the connection breaks
  // and the lock is taken again.
  grpc::Status WithUserLock(const std::string& username, const QuotaClaim& intended,
                            const Locked& locked);
  // Drops the claim of a session that was deleted or hibernated through the API.
  void ForgetClaim(const std::string& session);

 private:
  db::Pool& pool_;
};

}  // namespace ss::session
