// Password hashing with argon2id (libargon2): m = 19456 KiB, t = 2, p = 1, a 16-byte random salt,
// stored as the PHC-encoded string, which carries its own parameters.
#pragma once

#include <string>
#include <string_view>

namespace ss::auth {

// Throws std::runtime_error if libargon2 fails (out of memory).
std::string HashPassword(std::string_view password);

// True if `password` matches the encoded hash; false for a malformed hash.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// Spends the time of one verification on nothing, so that an unknown username answers as slowly
// as a wrong password.
void VerifyAgainstDummy(std::string_view password);

}  // namespace ss::auth
