// Reading the JOSE header and the claims of a compact JWS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "authn/token.h"

namespace ss::authn::detail {

struct JoseHeader {
  std::string alg;
  std::string kid;
};

// The three base64url parts of header.payload.signature (no decoding yet).
struct CompactParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  // header.payload: the bytes the signature covers.
  std::string_view signing_input;
};

std::optional<CompactParts> SplitCompact(std::string_view token);
std::optional<JoseHeader> ParseHeader(std::string_view encoded);
// The claims, with `aud` accepted as a string or an array holding `audience`.
std::optional<Claims> ParseClaims(std::string_view encoded, std::string_view audience);

}  // namespace ss::authn::detail
