// Every refusal of the OpenID Connect relying party is a value: a code the caller can branch on
// and a message fit for a log or an error answer. Messages never hold a token, a code, a secret
// or a nonce.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace ss::oidc {

enum class ErrorCode {
  kInvalidConfig,
  // The provider could not be reached, timed out or answered something unreadable: try later.
  kProviderUnavailable,
  // The discovery document is unusable (missing endpoint, endpoint not HTTPS).
  kBadDiscovery,
  // The discovery document names another issuer than the configured one.
  kIssuerMismatch,
  // The token endpoint refused the code (`provider_error` holds its `error`, e.g.
  // invalid_grant for a reused code or a wrong PKCE verifier).
  kTokenEndpointError,
  // The state of the callback is not the one handed out (StateMatches).
  kWrongState,
  // ID token refusals.
  kMalformedToken,
  kUnsupportedAlgorithm,
  kUnknownKey,
  kBadSignature,
  kWrongIssuer,
  kWrongAudience,
  kWrongAuthorizedParty,
  kExpired,
  kNotYetValid,
  kWrongNonce,
  kMissingSubject,
};

// A short stable name for logs and metrics ("wrong_nonce").
std::string_view Name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kProviderUnavailable;
  // What went wrong, for a log line or an error answer ("ID token nonce does not match").
  std::string message;
  // kTokenEndpointError only: the provider's `error` value, as sent (RFC 6749 §5.2).
  std::string provider_error;

  // True when the provider, not the user's sign-in, is at fault for now (answer UNAVAILABLE);
  // every other code is a refused sign-in (answer UNAUTHENTICATED).
  bool provider_unavailable() const {
    return code == ErrorCode::kProviderUnavailable || code == ErrorCode::kBadDiscovery ||
           code == ErrorCode::kIssuerMismatch;
  }
};

// Either a value or an Error (core/result.h).
template <class T>
using Result = core::Result<T, Error>;

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

}  // namespace ss::oidc
