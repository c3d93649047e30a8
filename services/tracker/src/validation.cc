#include "validation.h"

#include <charconv>

#include "rpc/page_token.h"

namespace ss::tracker {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The length of the UTF-8 sequence that starts with `lead`, 0 if it cannot start one.
std::size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if ((lead & 0xE0) == 0xC0)
    return 2;
  if ((lead & 0xF0) == 0xE0)
    return 3;
  if ((lead & 0xF8) == 0xF0)
    return 4;
  return 0;
}

}  // namespace

bool IsSessionId(std::string_view id) {
  if (id.empty() || id.size() > 63 || !IsLowerAlnum(id.front()) || !IsLowerAlnum(id.back()))
    return false;
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-')
      return false;
  }
  return true;
}

std::string Clip(std::string_view text, std::size_t limit) {
  std::string clipped;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = Utf8Length(lead);
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!valid) {
      ++i;
      continue;
    }
    if (clipped.size() + length > limit)
      break;
    if (!(length == 1 && (lead < 0x20 || lead == 0x7F)))
      clipped.append(text.substr(i, length));
    i += length;
  }
  return clipped;
}

std::optional<int> EffectivePageSize(int page_size) {
  int effective = 0;
  if (!rpc::CheckPageSize(page_size, &effective).ok())
    return std::nullopt;
  return effective;
}

// 9999-12-31T23:59:59Z in microseconds since the epoch: Postgres's timestamps go no further.
constexpr int64_t kMaxCursorMicros = 253'402'300'799'000'000;

std::string EncodePageToken(const ConnectionCursor& cursor) {
  return rpc::EncodePageToken({std::to_string(cursor.connected_us), cursor.id});
}

std::optional<ConnectionCursor> DecodePageToken(std::string_view token) {
  const auto values = rpc::DecodePageToken(token, 2);
  if (!values || values->empty())
    return values ? std::optional(ConnectionCursor{}) : std::nullopt;
  ConnectionCursor cursor;
  const std::string& micros = (*values)[0];
  const char* begin = micros.data();
  const char* end = begin + micros.size();
  const auto [last, error] = std::from_chars(begin, end, cursor.connected_us);
  if (error != std::errc() || last != end || micros.empty() || cursor.connected_us < 0 ||
      cursor.connected_us > kMaxCursorMicros)
    return std::nullopt;
  cursor.id = (*values)[1];
  if (!rpc::IsUuid(cursor.id))
    return std::nullopt;
  return cursor;
}

}  // namespace ss::tracker
