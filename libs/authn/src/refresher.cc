#include "authn/refresher.h"

#include <spdlog/spdlog.h>

namespace ss::authn {

VerifierRefresher::VerifierRefresher(std::shared_ptr<Verifier> verifier, AuthFeedPtr feed,
                                     RefresherOptions options)
    : verifier_(std::move(verifier)), feed_(std::move(feed)), options_(options) {
  verifier_->SetUnknownKeyListener([this] { RequestKeys(); });
  thread_ = std::thread([this] { Run(); });
}

VerifierRefresher::~VerifierRefresher() {
  verifier_->SetUnknownKeyListener(nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool VerifierRefresher::WaitReady(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, timeout, [this] { return stopping_ || verifier_->ready(); }) &&
         verifier_->ready();
}

void VerifierRefresher::RequestKeys() {
  {
    std::lock_guard lock(mutex_);
    if (keys_requested_)
      return;
    keys_requested_ = true;
  }
  wake_.notify_all();
}

std::chrono::milliseconds VerifierRefresher::RetryDelay(int failures) const {
  // Quick retries serve a start-up race with auth; past that, a peer that is down or refuses our
  // credentials is asked at the normal pace.
  constexpr int kQuickRetries = 10;
  return failures <= kQuickRetries ? options_.startup_retry : options_.revocation_interval;
}

void VerifierRefresher::Run() {
  Clock::time_point next_keys = Clock::now();
  Clock::time_point next_revocations = next_keys;
  Clock::time_point last_keys = next_keys - options_.unknown_key_min_interval;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    if (keys_requested_ && now - last_keys >= options_.unknown_key_min_interval)
      next_keys = now;
    if (now >= next_keys) {
      keys_requested_ = false;
      lock.unlock();
      const bool ok = RefreshKeys();
      lock.lock();
      last_keys = Clock::now();
      next_keys = last_keys + (ok ? options_.keys_interval : RetryDelay(keys_failures_));
      if (ok)
        wake_.notify_all();
    }
    if (now >= next_revocations) {
      lock.unlock();
      const bool revocations = RefreshRevocations();
      const bool ok = RefreshApiTokens() && revocations;
      lock.lock();
      next_revocations =
          Clock::now() + (ok ? options_.revocation_interval : RetryDelay(revocation_failures_));
      if (ok)
        wake_.notify_all();
    }
    // Unknown-key requests inside the rate limit wait for it; others wake the loop at once.
    Clock::time_point wake_at = std::min(next_keys, next_revocations);
    if (keys_requested_)
      wake_at = std::min(wake_at, last_keys + options_.unknown_key_min_interval);
    wake_.wait_until(lock, wake_at, [&] {
      return stopping_ ||
             (keys_requested_ && Clock::now() - last_keys >= options_.unknown_key_min_interval);
    });
  }
}

bool VerifierRefresher::RefreshKeys() {
  std::vector<Jwk> jwks;
  std::string error;
  if (!feed_->FetchKeys(&jwks, &error)) {
    if (keys_failures_++ == 0)
      spdlog::warn("authn: cannot fetch signing keys: {}", error);
    return false;
  }
  int rejected = 0;
  KeySet keys = KeySet::FromJwks(jwks, &rejected);
  if (rejected > 0)
    spdlog::warn("authn: ignored {} keys that are not Ed25519/EdDSA", rejected);
  if (keys_failures_ > 0)
    spdlog::info("authn: signing keys fetched again");
  keys_failures_ = 0;
  verifier_->SetKeys(std::move(keys));
  return true;
}

bool VerifierRefresher::RefreshRevocations() {
  RevocationBatch batch;
  std::string error;
  if (!feed_->FetchRevocations(verifier_->revocation_cursor(), &batch, &error)) {
    if (revocation_failures_++ == 0)
      spdlog::warn("authn: cannot fetch revocations: {}", error);
    return false;
  }
  if (revocation_failures_ > 0)
    spdlog::info("authn: revocations fetched again");
  revocation_failures_ = 0;
  verifier_->ApplyRevocations(batch);
  return true;
}

bool VerifierRefresher::RefreshApiTokens() {
  std::vector<ApiTokenUse> uses = verifier_->TakeApiTokenUses();
  uses.insert(uses.end(), std::make_move_iterator(unreported_uses_.begin()),
              std::make_move_iterator(unreported_uses_.end()));
  unreported_uses_.clear();
  ApiTokenSnapshot snapshot;
  std::string error;
  if (!feed_->SyncApiTokens(verifier_->api_token_version(), uses, &snapshot, &error)) {
    // Bounded: a token's latest use is what matters, and auth keeps only that.
    constexpr std::size_t kMaxUnreported = 10000;
    if (uses.size() <= kMaxUnreported)
      unreported_uses_ = std::move(uses);
    if (api_token_failures_++ == 0)
      spdlog::warn("authn: cannot fetch API tokens: {}", error);
    return false;
  }
  api_token_failures_ = 0;
  verifier_->SetApiTokens(std::move(snapshot));
  return true;
}

}  // namespace ss::authn
