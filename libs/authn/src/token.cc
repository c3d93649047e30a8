#include "authn/token.h"

namespace ss::authn {

std::string_view Describe(TokenError error) {
  switch (error) {
    case TokenError::kNone:
      return "token valid";
    case TokenError::kMissing:
      return "token missing";
    case TokenError::kMalformed:
      return "token malformed";
    case TokenError::kUnsupportedAlgorithm:
      return "token algorithm not accepted";
    case TokenError::kUnknownKey:
      return "token signed by an unknown key";
    case TokenError::kBadSignature:
      return "token signature invalid";
    case TokenError::kExpired:
      return "token expired";
    case TokenError::kNotYetValid:
      return "token not yet valid";
    case TokenError::kWrongIssuer:
      return "token issuer not accepted";
    case TokenError::kWrongAudience:
      return "token audience not accepted";
    case TokenError::kRevoked:
      return "token revoked";
    case TokenError::kUnknownToken:
      return "API token unknown, revoked or malformed";
  }
  return "token invalid";
}

}  // namespace ss::authn
