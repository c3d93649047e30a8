#include "key_ring.h"

#include "authn/encoding.h"
#include "authn/verifier.h"
#include "db/query.h"

namespace ss::auth {
namespace {

constexpr db::Query kPublishable{
    "keys_publishable",
    "SELECT kid, private_key_pem, (extract(epoch FROM retires_at) * 1000)::bigint "
    "FROM auth.signing_keys WHERE retires_at > now() - $1::bigint * interval '1 millisecond' "
    "ORDER BY retires_at"};

constexpr db::Query kLockKeys{
    "keys_lock", "SELECT pg_advisory_xact_lock(hashtext('streamspace.auth.signing_keys'))"};

constexpr db::Query kHasKeyBeyond{
    "keys_has_beyond",
    "SELECT 1 FROM auth.signing_keys "
    "WHERE retires_at > now() + $1::bigint * interval '1 millisecond' LIMIT 1"};

// A successor signs from its predecessor's retirement for a full rotation period.
constexpr db::Query kInsertKey{
    "keys_insert",
    "INSERT INTO auth.signing_keys (kid, private_key_pem, retires_at) "
    "SELECT $1, $2, greatest(now(), max(retires_at)) + $3::bigint * interval '1 millisecond' "
    "FROM auth.signing_keys"};

}  // namespace

std::vector<StoredKey> KeyStore::LoadPublishable(std::chrono::milliseconds grace) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<StoredKey> keys;
    for (const pqxx::row& row :
         db::Execute(tx, kPublishable, static_cast<int64_t>(grace.count()))) {
      keys.push_back(
          StoredKey{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int64_t>()});
    }
    return keys;
  });
}

void KeyStore::EnsureKeyBeyond(std::chrono::milliseconds ahead, std::chrono::milliseconds rotation,
                               const std::function<authn::SigningKey()>& make) {
  pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    db::Execute(tx, kLockKeys);
    if (db::Execute(tx, kHasKeyBeyond, static_cast<int64_t>(ahead.count())).empty()) {
      const authn::SigningKey key = make();
      db::Execute(tx, kInsertKey, key.kid(), key.PrivateKeyPem(),
                  static_cast<int64_t>(rotation.count()));
    }
    tx.commit();
  });
}

std::vector<core::Variable> KeyRingVariables() {
  return {{"SIGNING_KEY_ROTATION", "720h",
           "How long one signing key signs before its successor takes over."}};
}

KeyRingOptions KeyRingOptionsFrom(const core::Config& config, const TokenOptions& tokens) {
  KeyRingOptions options;
  options.rotation = config.GetDuration("SIGNING_KEY_ROTATION", std::chrono::minutes(2));
  options.publish_ahead =
      std::min<std::chrono::milliseconds>(std::chrono::minutes(10), options.rotation / 2);
  options.publish_after_retirement =
      std::max(tokens.access_ttl, tokens.service_ttl) + std::chrono::minutes(2);
  return options;
}

KeyRing::KeyRing(KeyStore& store, KeyRingOptions options) : store_(store), options_(options) {}

bool KeyRing::NeedsSuccessor(const std::vector<StoredKey>& keys, int64_t now_ms) const {
  for (const StoredKey& key : keys) {
    if (key.retires_at_ms > now_ms + options_.publish_ahead.count())
      return false;
  }
  return true;
}

void KeyRing::Refresh() {
  std::vector<StoredKey> stored = store_.LoadPublishable(options_.publish_after_retirement);
  if (NeedsSuccessor(stored, authn::SystemNowMs())) {
    store_.EnsureKeyBeyond(options_.publish_ahead, options_.rotation,
                           [] { return authn::SigningKey::Generate(NewKid()); });
    stored = store_.LoadPublishable(options_.publish_after_retirement);
  }
  std::lock_guard lock(mutex_);
  std::map<std::string, LoadedKey> next;
  for (StoredKey& entry : stored) {
    const auto known = keys_.find(entry.kid);
    // Parse each PEM once; the key of a kid never changes.
    auto key = known != keys_.end()
                   ? known->second.key
                   : std::make_shared<const authn::SigningKey>(
                         authn::SigningKey::FromPem(entry.kid, entry.private_key_pem));
    next[entry.kid] = LoadedKey{std::move(key), entry.retires_at_ms};
  }
  keys_ = std::move(next);
}

std::shared_ptr<const authn::SigningKey> KeyRing::Current() const {
  const int64_t now_ms = authn::SystemNowMs();
  std::lock_guard lock(mutex_);
  const LoadedKey* oldest = nullptr;
  for (const auto& [kid, loaded] : keys_) {
    if (loaded.retires_at_ms <= now_ms)
      continue;
    if (oldest == nullptr || loaded.retires_at_ms < oldest->retires_at_ms)
      oldest = &loaded;
  }
  return oldest == nullptr ? nullptr : oldest->key;
}

std::vector<authn::Jwk> KeyRing::PublicKeys() const {
  std::lock_guard lock(mutex_);
  std::vector<authn::Jwk> jwks;
  for (const auto& [kid, loaded] : keys_)
    jwks.push_back(loaded.key->PublicJwk());
  return jwks;
}

std::string NewKid() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string kid;
  for (unsigned char byte : authn::RandomBytes(8)) {
    kid.push_back(kHex[byte >> 4]);
    kid.push_back(kHex[byte & 15]);
  }
  return kid;
}

}  // namespace ss::auth
