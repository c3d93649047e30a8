#include "authn/verifier.h"

#include "authn/encoding.h"
#include "claims_json.h"
#include "token_cache.h"

namespace ss::authn {
namespace {

// Longer than any token we issue by far; bounds the work an attacker can ask for.
constexpr std::size_t kMaxTokenSize = 8192;

}  // namespace

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Verifier::Verifier(VerifierOptions options)
    : options_(std::move(options)),
      cache_(std::make_unique<detail::TokenCache>(options_.cache_capacity)),
      keys_(std::make_shared<const KeySet>()) {
  if (!options_.now_ms)
    options_.now_ms = SystemNowMs;
}

Verifier::~Verifier() = default;

VerifyResult Verifier::Verify(std::string_view token) const {
  if (token.empty())
    return {TokenError::kMissing, {}};
  if (!ready())
    return {TokenError::kUnknownKey, {}};
  const int64_t now_ms = options_.now_ms();
  if (IsApiToken(token))
    return VerifyApiToken(token, now_ms);
  if (auto cached = cache_->Find(token)) {
    const TokenError error = CheckLive(*cached, now_ms);
    if (error != TokenError::kNone)
      return {error, {}};
    return {TokenError::kNone, std::move(*cached)};
  }
  std::shared_ptr<const KeySet> keys;
  {
    std::shared_lock lock(mutex_);
    keys = keys_;
  }
  VerifyResult result = CheckSignedToken(token, *keys);
  if (!result.ok())
    return result;
  {
    // Cache only if the key set is still the one that checked the signature.
    std::shared_lock lock(mutex_);
    if (keys_ == keys)
      cache_->Insert(token, result.claims);
  }
  const TokenError error = CheckLive(result.claims, now_ms);
  if (error != TokenError::kNone)
    return {error, {}};
  return result;
}

VerifyResult Verifier::CheckSignedToken(std::string_view token, const KeySet& keys) const {
  if (token.size() > kMaxTokenSize)
    return {TokenError::kMalformed, {}};
  const auto parts = detail::SplitCompact(token);
  if (!parts)
    return {TokenError::kMalformed, {}};
  const auto header = detail::ParseHeader(parts->header);
  if (!header)
    return {TokenError::kMalformed, {}};
  // Every key we trust is pinned to EdDSA: "none", "HS256" (a public key used as an HMAC
  // secret) and anything else fail before a key is even looked up.
  if (header->alg != kEdDsa)
    return {TokenError::kUnsupportedAlgorithm, {}};
  const PublicKey* key = keys.Find(header->kid);
  if (key == nullptr) {
    NotifyUnknownKey();
    return {TokenError::kUnknownKey, {}};
  }
  if (key->algorithm != header->alg)
    return {TokenError::kUnsupportedAlgorithm, {}};
  std::string signature;
  if (!Base64UrlDecode(parts->signature, &signature))
    return {TokenError::kMalformed, {}};
  if (!VerifyEd25519(key->key, parts->signing_input, signature)) {
    return {TokenError::kBadSignature, {}};
  }
  auto claims = detail::ParseClaims(parts->payload, options_.audience);
  if (!claims)
    return {TokenError::kMalformed, {}};
  if (claims->issuer != options_.issuer)
    return {TokenError::kWrongIssuer, {}};
  if (claims->audience != options_.audience)
    return {TokenError::kWrongAudience, {}};
  return {TokenError::kNone, std::move(*claims)};
}

TokenError Verifier::CheckLive(const Claims& claims, int64_t now_ms) const {
  if (now_ms >= claims.expires_at_ms)
    return TokenError::kExpired;
  if (now_ms + options_.not_before_leeway.count() < claims.not_before_ms) {
    return TokenError::kNotYetValid;
  }
  std::shared_lock lock(mutex_);
  if (revocations_.IsRevoked(claims))
    return TokenError::kRevoked;
  return TokenError::kNone;
}

VerifyResult Verifier::VerifyApiToken(std::string_view token, int64_t now_ms) const {
  VerifyResult result;
  {
    std::shared_lock lock(mutex_);
    const ApiTokenGrant* grant = api_tokens_.Match(token);
    if (grant == nullptr)
      return {TokenError::kUnknownToken, {}};
    if (!grant->active)
      return {TokenError::kRevoked, {}};
    if (now_ms >= grant->expires_at_ms)
      return {TokenError::kExpired, {}};
    result.claims.subject = grant->user_id;
    result.claims.username = grant->username;
    result.claims.role = grant->role;
    result.claims.issuer = options_.issuer;
    result.claims.audience = options_.audience;
    result.claims.expires_at_ms = grant->expires_at_ms;
    result.claims.token_id = grant->id;
    result.claims.scopes = grant->scopes;
  }
  std::lock_guard lock(uses_mutex_);
  api_token_uses_[result.claims.token_id] = now_ms;
  return result;
}

void Verifier::SetApiTokens(ApiTokenSnapshot snapshot) {
  {
    std::unique_lock lock(mutex_);
    if (snapshot.changed)
      api_tokens_.Replace(std::move(snapshot.tokens));
    api_tokens_.set_version(snapshot.version);
  }
  api_tokens_loaded_.store(true);
}

int64_t Verifier::api_token_version() const {
  std::shared_lock lock(mutex_);
  return api_tokens_.version();
}

std::vector<ApiTokenUse> Verifier::TakeApiTokenUses() {
  std::unordered_map<std::string, int64_t> uses;
  {
    std::lock_guard lock(uses_mutex_);
    uses.swap(api_token_uses_);
  }
  std::vector<ApiTokenUse> out;
  out.reserve(uses.size());
  for (auto& [id, at] : uses)
    out.push_back(ApiTokenUse{id, at});
  return out;
}

void Verifier::SetKeys(KeySet keys) {
  auto next = std::make_shared<const KeySet>(std::move(keys));
  bool lost_key = false;
  {
    std::unique_lock lock(mutex_);
    lost_key = !keys_->IsSubsetOf(*next);
    keys_ = std::move(next);
    // Clearing under the lock: no thread can insert a token checked by the old set afterwards.
    if (lost_key)
      cache_->Clear();
  }
  keys_loaded_.store(true);
}

void Verifier::ApplyRevocations(const RevocationBatch& batch) {
  const int64_t now_ms = options_.now_ms();
  {
    std::unique_lock lock(mutex_);
    revocations_.Apply(batch, now_ms);
  }
  revocations_loaded_.store(true);
}

int64_t Verifier::revocation_cursor() const {
  std::shared_lock lock(mutex_);
  return revocations_.cursor();
}

void Verifier::SetUnknownKeyListener(std::function<void()> listener) {
  std::lock_guard lock(listener_mutex_);
  unknown_key_listener_ = std::move(listener);
}

void Verifier::NotifyUnknownKey() const {
  std::lock_guard lock(listener_mutex_);
  if (unknown_key_listener_)
    unknown_key_listener_();
}

}  // namespace ss::authn
