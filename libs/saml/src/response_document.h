// Our own reading of a SAML Response, independent of lasso's: the structural checks against
// signature wrapping, and the fields the service provider checks and returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "saml/service_provider.h"

namespace ss::saml::detail {

// A refusal with its detail; kNone when the check held.
struct Check {
  Refusal refusal = Refusal::kNone;
  std::string detail;
  bool ok() const { return refusal == Refusal::kNone; }
};

struct Confirmation {
  std::string method;
  std::string recipient;
  std::string in_response_to;
  std::optional<TimePoint> not_before;
  std::optional<TimePoint> not_on_or_after;
};

struct ResponseDocument {
  std::string response_id;
  std::string destination;
  std::string in_response_to;
  // Empty when the Response has no Issuer (it is optional there).
  std::string response_issuer;
  bool response_signed = false;

  std::string assertion_id;
  std::string assertion_issuer;
  bool assertion_signed = false;
  std::string name_id;
  std::string name_id_format;
  std::vector<Confirmation> confirmations;
  std::optional<TimePoint> not_before;
  std::optional<TimePoint> not_on_or_after;
  // One list of audiences per AudienceRestriction (each must name us).
  std::vector<std::vector<std::string>> audience_restrictions;
  std::string session_index;
  std::optional<TimePoint> session_not_on_or_after;
  Attributes attributes;
};

// Parses `xml` (a decoded SAMLResponse) and applies the structural checks listed in
// service_provider.h (root, status, one assertion, signature placement and references, unique
// IDs, no comments in the assertion). Fills `document` as far as it got.
Check ReadResponse(std::string_view xml, ResponseDocument* document);

}  // namespace ss::saml::detail
