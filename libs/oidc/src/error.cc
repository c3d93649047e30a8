#include "oidc/error.h"

namespace ss::oidc {

std::string_view Name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidConfig:
      return "invalid_config";
    case ErrorCode::kProviderUnavailable:
      return "provider_unavailable";
    case ErrorCode::kBadDiscovery:
      return "bad_discovery";
    case ErrorCode::kIssuerMismatch:
      return "issuer_mismatch";
    case ErrorCode::kTokenEndpointError:
      return "token_endpoint_error";
    case ErrorCode::kWrongState:
      return "wrong_state";
    case ErrorCode::kMalformedToken:
      return "malformed_token";
    case ErrorCode::kUnsupportedAlgorithm:
      return "unsupported_algorithm";
    case ErrorCode::kUnknownKey:
      return "unknown_key";
    case ErrorCode::kBadSignature:
      return "bad_signature";
    case ErrorCode::kWrongIssuer:
      return "wrong_issuer";
    case ErrorCode::kWrongAudience:
      return "wrong_audience";
    case ErrorCode::kWrongAuthorizedParty:
      return "wrong_authorized_party";
    case ErrorCode::kExpired:
      return "expired";
    case ErrorCode::kNotYetValid:
      return "not_yet_valid";
    case ErrorCode::kWrongNonce:
      return "wrong_nonce";
    case ErrorCode::kMissingSubject:
      return "missing_subject";
  }
  return "unknown";
}

}  // namespace ss::oidc
