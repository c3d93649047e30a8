// Byte encodings that tokens and their stores need: base64url without padding (RFC 7515 §2),
// SHA-256 and random bytes from OpenSSL.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ss::authn {

std::string Base64UrlEncode(std::string_view bytes);

// False for characters outside the base64url alphabet, padding, or an impossible length.
bool Base64UrlDecode(std::string_view text, std::string* bytes);

// Lower-case hex, and back (either case); HexDecode is false for an odd length or a non-hex digit.
std::string HexEncode(std::string_view bytes);
bool HexDecode(std::string_view hex, std::string* bytes);

// The 32-byte SHA-256 digest of `bytes`.
std::string Sha256(std::string_view bytes);

// `count` bytes from OpenSSL's CSPRNG; throws std::runtime_error if it fails.
std::string RandomBytes(std::size_t count);

// Compares in time that depends only on the lengths, not on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ss::authn
