#include "token_cache.h"

#include <functional>

namespace ss::authn::detail {

TokenCache::TokenCache(std::size_t capacity)
    : shard_capacity_(std::max<std::size_t>(1, capacity / kShards)) {}

std::optional<Claims> TokenCache::Find(std::string_view token) const {
  const std::size_t hash = std::hash<std::string_view>{}(token);
  Shard& shard = ShardFor(hash);
  std::lock_guard lock(shard.mutex);
  const auto it = shard.entries.find(hash);
  if (it == shard.entries.end() || it->second.token != token)
    return std::nullopt;
  return it->second.claims;
}

void TokenCache::Insert(std::string_view token, const Claims& claims) {
  const std::size_t hash = std::hash<std::string_view>{}(token);
  Shard& shard = ShardFor(hash);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= shard_capacity_ && !shard.entries.contains(hash)) {
    // Any victim will do: an evicted token is only verified again, never accepted wrongly.
    shard.entries.erase(shard.entries.begin());
  }
  shard.entries.insert_or_assign(hash, Entry{std::string(token), claims});
}

void TokenCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.entries.clear();
  }
}

}  // namespace ss::authn::detail
