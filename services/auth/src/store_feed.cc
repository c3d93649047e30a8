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
    }
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  return true;
}

}  // namespace ss::auth
