#include "protobuf_json_escape.h"

#include <cstdint>

namespace ss::gateway {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHex4(std::uint32_t unit, std::string* out) {
  char buffer[6] = {'\\',
                    'u',
                    kHex[(unit >> 12) & 0xf],
                    kHex[(unit >> 8) & 0xf],
                    kHex[(unit >> 4) & 0xf],
                    kHex[unit & 0xf]};
  out->append(buffer, sizeof buffer);
}

// Whether protobuf writes code point `cp` as \u escapes (besides \" \\ \b \t \n \f \r).
bool NeedsHexEscape(std::uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == '<' || cp == '>')
    return true;
  switch (cp) {
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5:
      return true;
    default:
      break;
  }
  return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
         (cp >= 0xe0020 && cp <= 0xe007f);
}

void AppendEscapedCodePoint(std::uint32_t cp, std::string* out) {
  switch (cp) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\r':
      out->append("\\r");
      return;
    default:
      break;
  }
  if (cp < 0x10000) {
    AppendHex4(cp, out);
  } else {
    AppendHex4(((cp - 0x10000) >> 10) + 0xd800, out);
    AppendHex4(((cp - 0x10000) & 0x3ff) + 0xdc00, out);
  }
}

}  // namespace

void AppendJsonEscapedDroppingInvalidUtf8(std::string_view text, std::string* out) {
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t plain = 0;  // start of the run not yet copied
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = data[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>') {
      ++i;
      continue;
    }
    out->append(text.data() + plain, i - plain);
    std::uint32_t cp = c;
    std::size_t read = 1;
    int left = 0;
    bool ok = true;
    if (c < 0x80) {
    } else if (c <= 0xbf) {
      ok = false;
    } else if (c <= 0xdf) {
      cp &= 0x1f;
      left = 1;
    } else if (c <= 0xef) {
      cp &= 0x0f;
      left = 2;
    } else if (c <= 0xf7) {
      cp &= 0x07;
      left = 3;
    } else {
      ok = false;
    }
    while (ok && left > 0 && i + read < size) {
      const unsigned char next = data[i + read];
      --left;
      ++read;
      cp = (cp << 6) | (next & 0x3f);
      if (next < 0x80 || next > 0xbf)
        ok = false;
    }
    if (ok && left > 0) {
      // Cut short by the end of the text: dropped.
      plain = i = size;
      break;
    }
    if (ok && ((cp & 0xfffff800) == 0xd800 || cp > 0x10ffff))
      ok = false;
    if (!ok) {
      i += read;
      plain = i;
      continue;
    }
    if (cp == '"' || cp == '\\' || NeedsHexEscape(cp)) {
      AppendEscapedCodePoint(cp, out);
      i += read;
      plain = i;
    } else {
      // A multi-byte code point that needs no escape: keep it in the plain run.
      out->append(text.data() + i, read);
      i += read;
      plain = i;
    }
  }
  out->append(text.data() + plain, i - plain);
}

}  // namespace ss::gateway
