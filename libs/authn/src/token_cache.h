// Tokens whose signature, issuer and audience were verified, with their claims. Bounded and
// sharded so that threads verifying different tokens rarely contend.
#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "authn/token.h"

namespace ss::authn::detail {

class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity);

  // The claims of a cached token, compared in full (the hash only picks the slot).
  std::optional<Claims> Find(std::string_view token) const;
  void Insert(std::string_view token, const Claims& claims);
  void Clear();

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    std::string token;
    Claims claims;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::size_t, Entry> entries;
  };
  Shard& ShardFor(std::size_t hash) const { return shards_[hash % kShards]; }

  std::size_t shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ss::authn::detail
