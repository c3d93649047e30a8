// Keeps a Verifier's keys and revocations current from a feed (the auth service over gRPC, or
// the auth service's own store), on one background thread owned by a VerifierRefresher.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "authn/api_tokens.h"
#include "authn/revocation_list.h"
#include "authn/signing_key.h"
#include "authn/verifier.h"

namespace ss::authn {

// Where trusted keys and revocations come from.
class AuthFeed {
 public:
  virtual ~AuthFeed() = default;
  // The published public keys; false with a reason in *error when the source cannot be reached.
  virtual bool FetchKeys(std::vector<Jwk>* keys, std::string* error) = 0;
  // Revocations after the cursor `after`; false with a reason in *error on failure.
  virtual bool FetchRevocations(int64_t after, RevocationBatch* batch, std::string* error) = 0;
  // The API tokens unless `known_version` is still current, reporting the uses seen since the last
  // call; false with a reason in *error on failure (the uses are then reported next time).
  virtual bool SyncApiTokens(int64_t known_version, const std::vector<ApiTokenUse>& uses,
                             ApiTokenSnapshot* snapshot, std::string* error) = 0;
};

using AuthFeedPtr = std::shared_ptr<AuthFeed>;

struct RefresherOptions {
  // Revocations and API tokens.
  std::chrono::milliseconds revocation_interval{1000};
  std::chrono::milliseconds keys_interval{60000};
  // An unknown kid triggers a JWKS fetch at most this often.
  std::chrono::milliseconds unknown_key_min_interval{1000};
  // The first ten retries of a failed fetch come this soon; later ones at revocation_interval.
  std::chrono::milliseconds startup_retry{200};
};

class VerifierRefresher {
 public:
  // Starts the thread; the first fetches run at once.
  VerifierRefresher(std::shared_ptr<Verifier> verifier, AuthFeedPtr feed, RefresherOptions options);
  // Stops and joins the thread.
  ~VerifierRefresher();
  VerifierRefresher(const VerifierRefresher&) = delete;
  VerifierRefresher& operator=(const VerifierRefresher&) = delete;

  // Waits until the verifier is ready (keys and revocations loaded once) or the timeout passes.
  bool WaitReady(std::chrono::milliseconds timeout);

 private:
  using Clock = std::chrono::steady_clock;
  void Run();
  void RequestKeys();
  bool RefreshKeys();
  bool RefreshRevocations();
  bool RefreshApiTokens();
  std::chrono::milliseconds RetryDelay(int failures) const;

  std::shared_ptr<Verifier> verifier_;
  AuthFeedPtr feed_;
  RefresherOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool keys_requested_ = false;
  // Consecutive failed fetches (touched by the thread only).
  int keys_failures_ = 0;
  int revocation_failures_ = 0;
  int api_token_failures_ = 0;
  // Uses whose report failed, sent again with the next sync (touched by the thread only).
  std::vector<ApiTokenUse> unreported_uses_;
  std::thread thread_;
};

}  // namespace ss::authn
