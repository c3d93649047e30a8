// JSON string escaping as protobuf's JSON printer does it (its JsonEscaping::Escape), so that the
// gateway's JSON is protobuf's text byte for byte. core's AppendJsonEscapedReplacingInvalidUtf8
// follows another rule on purpose: it writes U+FFFD for invalid UTF-8, where protobuf drops it.
#pragma once

#include <string>
#include <string_view>

namespace ss::gateway {

// Appends `text` as the inside of a JSON string: drops invalid UTF-8 sequences, as protobuf's
// printer does, and writes < > and invisible format characters as \u escapes.
void AppendJsonEscapedDroppingInvalidUtf8(std::string_view text, std::string* out);

// Appends `text` as a quoted JSON string, escaped as above.
inline void AppendJsonStringDroppingInvalidUtf8(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonEscapedDroppingInvalidUtf8(text, out);
  out->push_back('"');
}

}  // namespace ss::gateway
