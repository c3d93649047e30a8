// API tokens for tools (DESIGN.md, Identity): opaque bearer tokens that auth makes, shown once
// and stored only as a hash, checked by every process against a table that auth feeds (no call
// to auth per request). A token is "sst_<id>_<secret>": the id finds its grant, the secret's
// SHA-256 must equal the grant's hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ss::authn {

inline constexpr std::string_view kApiTokenPrefix = "sst_";

// What auth publishes about one live token.
struct ApiTokenGrant {
  std::string id;
  // SHA-256 of the secret part (32 bytes).
  std::string secret_hash;
  std::string user_id;
  std::string username;
  // The owner's role now, and whether the owner's account is active.
  std::string role;
  bool active = true;
  // "<area>:read" | "<area>:write".
  std::vector<std::string> scopes;
  int64_t expires_at_ms = 0;
};

struct ApiTokenSnapshot {
  int64_t version = 0;
  // False when the feed answered that `version` is still current: `tokens` is then empty.
  bool changed = false;
  std::vector<ApiTokenGrant> tokens;
};

struct ApiTokenUse {
  std::string token_id;
  int64_t used_at_ms = 0;
};

// A new token: its text (given to the user once) and the hash of its secret (kept by auth).
struct NewApiToken {
  std::string id;
  std::string text;
  std::string secret_hash;
};
NewApiToken MakeApiToken();

// True when `token` has the API-token shape (the prefix); fills id and secret when it is well
// formed.
bool IsApiToken(std::string_view token);
bool SplitApiToken(std::string_view token, std::string_view* id, std::string_view* secret);

// The grants by id. Not synchronized: the Verifier guards it.
class ApiTokenTable {
 public:
  void Replace(std::vector<ApiTokenGrant> grants);
  // The grant whose id and secret hash match the token, or null.
  const ApiTokenGrant* Match(std::string_view token) const;
  int64_t version() const { return version_; }
  void set_version(int64_t version) { version_ = version; }

 private:
  std::unordered_map<std::string, ApiTokenGrant> grants_;
  int64_t version_ = 0;
};

}  // namespace ss::authn
