// JSON string escaping shared by the error body and the JSON log format. Bytes that are not valid
// UTF-8 become U+FFFD, so a hostile message cannot make the output unparsable and a reader sees
// that something was there (the gateway's JSON printer drops them instead, as protobuf does:
// gateway/src/protobuf_json_escape.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace ss::core::detail {

// The length of the valid UTF-8 sequence that starts text[i], or 0 if it is not one (overlong
// forms, surrogates and code points past U+10FFFF are invalid).
inline size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  size_t length = 0;
  uint8_t low = 0x80;
  uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0)
      low = 0xA0;
    if (lead == 0xED)
      high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0)
      low = 0x90;
    if (lead == 0xF4)
      high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size())
    return 0;
  if (byte(i + 1) < low || byte(i + 1) > high)
    return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
      return 0;
  }
  return length;
}

// Appends `text` as the inside of a JSON string (no surrounding quotes). Out is std::string or
// fmt::memory_buffer.
template <typename Out>
void AppendJsonEscapedReplacingInvalidUtf8(std::string_view text, Out& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto put = [&out](std::string_view s) { out.append(s.data(), s.data() + s.size()); };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        put("\\ufffd");
        ++i;
      } else {
        put(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\b':
        put("\\b");
        break;
      case '\f':
        put("\\f");
        break;
      case '\n':
        put("\\n");
        break;
      case '\r':
        put("\\r");
        break;
      case '\t':
        put("\\t");
        break;
      default:
        if (c < 0x20) {
          const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          put(std::string_view(escaped, sizeof escaped));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
}

}  // namespace ss::core::detail
