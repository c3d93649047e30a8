#include "store_feed.h"

#include <spdlog/spdlog.h>

namespace ss::auth {
namespace {

constexpr std::chrono::minutes kPruneInterval{1};

}  // namespace

bool StoreFeed::FetchKeys(std::vector<authn::Jwk>* keys, std::string* error) {
  try {
    keys_.Refresh();
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  *keys = keys_.PublicKeys();
  return true;
}

bool StoreFeed::FetchRevocations(int64_t after, authn::RevocationBatch* batch, std::string* error) {
  try {
    *batch = sessions_.Revocations(after, kRevocationBatchLimit);
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_prune_) {
      next_prune_ = now + kPruneInterval;
      sessions_.PruneExpired(throttle_);
      tokens_.PruneExpired();
      audit_.Prune();
    }
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  return true;
}

bool StoreFeed::SyncApiTokens(int64_t known_version, const std::vector<authn::ApiTokenUse>& uses,
                              authn::ApiTokenSnapshot* snapshot, std::string* error) {
  try {
    *snapshot = tokens_.Snapshot(known_version, uses);
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  return true;
}

namespace {

authn::RefresherOptions EverySecond() {
  authn::RefresherOptions options;
  options.keys_interval = std::chrono::seconds(1);
  return options;
}

}  // namespace

LocalVerifier::LocalVerifier(const core::Config& config, KeyRing& keys, SessionStore& sessions,
                             ApiTokens& tokens, AuditLog& audit, ThrottlePolicy throttle,
                             std::chrono::milliseconds timeout)
    : verifier_(std::make_shared<authn::Verifier>(authn::VerifierOptionsFrom(config))),
      refresher_(verifier_, std::make_shared<StoreFeed>(keys, sessions, tokens, audit, throttle),
                 EverySecond()) {
  if (!refresher_.WaitReady(timeout))
    throw std::runtime_error(
        "could not load signing keys, revocations and API tokens from the database");
}

}  // namespace ss::auth
