// Input rules of the tracker API. Pure functions, unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connection_store.h"
#include "rpc/validation.h"

namespace ss::tracker {

inline constexpr std::size_t kMaxClientAddress = 256;
inline constexpr std::size_t kMaxUserAgent = 512;

// A Session's name: a DNS label (1-63 characters of [a-z0-9-], starting and ending with a letter
// or digit).
bool IsSessionId(std::string_view id);

// At most `limit` bytes of `text`, cut at a UTF-8 character boundary, control characters
// dropped (user agents and addresses are informative and never refuse a connection).
std::string Clip(std::string_view text, std::size_t limit);

// 0 means the default; 1-500 allowed; nullopt otherwise.
std::optional<int> EffectivePageSize(int page_size);

// Page tokens (rpc/page_token.h) carrying a connection cursor.
std::string EncodePageToken(const ConnectionCursor& cursor);
// Empty token → the beginning. nullopt for a token we did not make.
std::optional<ConnectionCursor> DecodePageToken(std::string_view token);

}  // namespace ss::tracker
