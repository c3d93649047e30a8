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
      next_keys = last_keys + (ok ? options_.keys_interval : options_.startup_retry);
      if (ok)
        wake_.notify_all();
    }
    if (now >= next_revocations) {
      lock.unlock();
      const bool ok = RefreshRevocations();
      lock.lock();
      const bool retry = !ok && !verifier_->ready();
      next_revocations =
          Clock::now() + (retry ? options_.startup_retry : options_.revocation_interval);
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
    if (!keys_failing_)
      spdlog::warn("authn: cannot fetch signing keys: {}", error);
    keys_failing_ = true;
    return false;
  }
  int rejected = 0;
  KeySet keys = KeySet::FromJwks(jwks, &rejected);
  if (rejected > 0)
    spdlog::warn("authn: ignored {} keys that are not Ed25519/EdDSA", rejected);
  if (keys_failing_)
    spdlog::info("authn: signing keys fetched again");
  keys_failing_ = false;
  verifier_->SetKeys(std::move(keys));
  return true;
}

bool VerifierRefresher::RefreshRevocations() {
  RevocationBatch batch;
  std::string error;
  if (!feed_->FetchRevocations(verifier_->revocation_cursor(), &batch, &error)) {
    if (!revocations_failing_)
      spdlog::warn("authn: cannot fetch revocations: {}", error);
    revocations_failing_ = true;
    return false;
  }
  if (revocations_failing_)
    spdlog::info("authn: revocations fetched again");
  revocations_failing_ = false;
  verifier_->ApplyRevocations(batch);
  return true;
}

}  // namespace ss::authn
