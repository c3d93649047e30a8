// API tokens in schema auth (migrations/004): only each secret's SHA-256 is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authn/api_tokens.h"
#include "db/pool.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

struct NewTokenRow {
  std::string id;
  std::string user_id;
  std::string name;
  std::string secret_hash;
  std::vector<std::string> scopes;
  // RFC 3339.
  std::string expires_at;
};

enum class TokenInsert { kDone, kDuplicateName, kTooMany, kNoUser };

class ApiTokenStore {
 public:
  explicit ApiTokenStore(db::Pool& pool) : pool_(pool) {}

  // At most `max_per_user` tokens per user, names unique per user.
  TokenInsert Insert(const NewTokenRow& row, int max_per_user,
                     streamspace::auth::v1::ApiToken* token);
  std::vector<streamspace::auth::v1::ApiToken> List(const std::string& user_id);
  // True if it existed and, unless `owner_id` is empty, belonged to that user.
  bool Delete(const std::string& id, const std::optional<std::string>& owner_id);

  // Every token that has not expired, with its owner's role and state, unless `known_version` is
  // still current; in one snapshot.
  authn::ApiTokenSnapshot Sync(int64_t known_version);
  void RecordUses(const std::vector<authn::ApiTokenUse>& uses);
  // Drops tokens that expired more than `keep_days` ago.
  void PruneExpired(int keep_days);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
