// Compact JWS (RFC 7515) pieces and the RSA / ECDSA signature checks of RFC 7518 §3.3-3.4.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "oidc/jwks.h"

namespace ss::oidc::detail {

struct CompactJws {
  std::string alg;
  std::string kid;
  // The decoded payload and signature.
  std::string payload;
  std::string signature;
  // header.payload: the bytes the signature covers.
  std::string_view signing_input;
};

// The parts of header.payload.signature with the header's alg and kid; nullopt when it is not
// three base64url parts with a JSON object header whose alg is a string. A header with `crit`
// is refused: we understand no extension.
std::optional<CompactJws> ParseCompact(std::string_view token);

// True when `alg` fits the key: RS* for RSA keys, ES256 for P-256 and ES384 for P-384.
bool AlgorithmFitsKey(std::string_view alg, const VerificationKey& key);

// True when `signature` is a valid `alg` signature of `input` under `key` (AlgorithmFitsKey
// must hold). ECDSA signatures are the raw r || s of JWS.
bool VerifySignature(const VerificationKey& key, std::string_view alg, std::string_view input,
                     std::string_view signature);

}  // namespace ss::oidc::detail
