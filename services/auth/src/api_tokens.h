// API tokens for tools (DESIGN.md, Identity; authn/api_tokens.h for the format): the rules of
// making, listing and revoking them, and the feed every verifier polls.
#pragma once

#include <chrono>
#include <functional>

#include "api_token_store.h"
#include "rpc/call.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "user_store.h"

namespace ss::auth {

struct ApiTokenOptions {
  int max_per_user = 50;
  std::chrono::hours default_lifetime{24 * 90};
  std::chrono::hours max_lifetime{24 * 366};
  // Expired tokens stay listed this long, then go.
  int keep_expired_days = 30;
};

class ApiTokens {
 public:
  ApiTokens(ApiTokenStore& store, UserStore& users, ApiTokenOptions options = {})
      : store_(store), users_(users), options_(options) {}

  grpc::Status Create(const rpc::Principal& caller,
                      const streamspace::auth::v1::CreateApiTokenRequest& request,
                      streamspace::auth::v1::CreatedApiToken* created);
  grpc::Status List(const rpc::Principal& caller,
                    const streamspace::auth::v1::ListApiTokensRequest& request,
                    streamspace::auth::v1::ListApiTokensResponse* response);
  grpc::Status Delete(const rpc::Principal& caller,
                      const streamspace::auth::v1::DeleteApiTokenRequest& request);
  grpc::Status Sync(const streamspace::auth::v1::SyncApiTokensRequest& request,
                    streamspace::auth::v1::ApiTokenDirectory* directory);

  // The store and its rules, for auth's own verifier (store_feed.h).
  authn::ApiTokenSnapshot Snapshot(int64_t known_version,
                                   const std::vector<authn::ApiTokenUse>& uses);
  void PruneExpired();

 private:
  ApiTokenStore& store_;
  UserStore& users_;
  ApiTokenOptions options_;
};

}  // namespace ss::auth
