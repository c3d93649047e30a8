// A SAML 2.0 service provider for one identity provider: SP metadata, SP-initiated login
// (AuthnRequest by HTTP-Redirect), the assertion consumer (Response by HTTP-POST) and single
// logout in both directions. No HTTP server and no storage: the caller (auth) moves the messages,
// keeps the outstanding request IDs and the seen assertion IDs, and passes them in as callbacks.
//
// Who checks what in ConsumeResponse (lasso, Debian's liblasso3, for what it does well; our own
// checks on the same bytes where lasso is lax or reports too coarsely):
//   ours   size limit, strict base64, XML without DOCTYPE (no entities, no DTD-declared IDs), a
//          samlp:Response root
//   ours   status Success (the IdP's status codes go into the refusal's detail)
//   ours   signature wrapping: exactly one Assertion in the whole document (none encrypted), as a
//          child of the Response; every ds:Signature a child of the Response or of that
//          Assertion, with one Reference whose URI is "#" + its parent's ID; ID attributes unique;
//          at least one of Response and Assertion signed
//   ours   no comment or processing instruction inside the Assertion (the `admin<!---->@evil`
//          NameID truncation: canonicalization drops comments, so a signature still holds;
//          we refuse rather than guess which text was meant)
//   ours   Issuer of the Response (when present) and of the Assertion == the IdP's entity ID
//   lasso  parsing, and the signatures, verified with the key in the IdP metadata only (no CA
//          chain is configured, so a certificate in the message's KeyInfo is never trusted):
//          lasso_login_process_authn_response_msg with LASSO_PROFILE_SIGNATURE_VERIFY_HINT_FORCE
//          when both are signed, MAYBE when only the Response is (and its signature_status must
//          be 0), and lasso_provider_verify_single_node_signature on a signed Assertion (lasso
//          2.8 does not report an Assertion-only signature's result through the hints); then
//          lasso_login_accept_sso. lasso's Assertion ID and NameID must equal ours: the element
//          whose signature held is the element whose data we return
//   ours   Destination == ACS URL; a bearer SubjectConfirmation whose Recipient == ACS URL and
//          whose NotBefore/NotOnOrAfter hold; Conditions NotBefore/NotOnOrAfter (all with the
//          allowed skew); Audience == SP entity ID
//   ours   InResponseTo (Response and SubjectConfirmationData agree) consumed from the caller's
//          outstanding requests; absent only for IdP-initiated logins, when allowed
//   ours   replay: the assertion ID goes to the caller's recorder, last, after every other check
//
// Thread-safety: a ServiceProvider is immutable once built and every method is const and safe to
// call from many threads at once. lasso objects are not thread-safe, so each call builds its own
// from the immutable description (a few milliseconds). To take new IdP metadata, build a new
// ServiceProvider and swap a std::shared_ptr<const ServiceProvider>; calls in flight finish with
// the old one.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "saml/attribute_mapping.h"

namespace ss::saml {

struct ServiceProviderConfig {
  std::string entity_id;
  // The assertion consumer service (HTTP-POST binding).
  std::string acs_url;
  // The single logout service (HTTP-Redirect and HTTP-POST bindings).
  std::string slo_url;
  // PEM text: the SP's RSA key (signs AuthnRequests, LogoutRequests, LogoutResponses, metadata)
  // and its certificate (published in the SP metadata).
  std::string private_key_pem;
  std::string certificate_pem;
  // The IdP's metadata: one EntityDescriptor with an IDPSSODescriptor, its signing certificate,
  // an HTTP-Redirect SingleSignOnService and a SingleLogoutService.
  std::string idp_metadata_xml;
  std::chrono::seconds clock_skew{60};
  // Accept Responses without InResponseTo (logins the IdP started).
  bool allow_idp_initiated = true;
  AttributeMapping mapping = PresetMapping("generic");
};

// Why a message was refused. RefusalName gives a stable lower-case name for logs and audit.
enum class Refusal {
  kNone,
  kMalformed,
  kStatusNotSuccess,
  kWrongIssuer,
  kUnsigned,
  kBadSignature,
  kSignatureWrapping,
  kCommentInAssertion,
  kEncryptedAssertion,
  kWrongDestination,
  kWrongRecipient,
  kWrongAudience,
  kNotYetValid,
  kExpired,
  kUnknownInResponseTo,
  kUnsolicited,
  kReplayed,
};

// "malformed", "status-not-success", "wrong-issuer", "unsigned", "bad-signature",
// "signature-wrapping", "comment-in-assertion", "encrypted-assertion", "wrong-destination",
// "wrong-recipient", "wrong-audience", "not-yet-valid", "expired", "unknown-in-response-to",
// "unsolicited", "replayed".
std::string_view RefusalName(Refusal refusal);

using TimePoint = std::chrono::system_clock::time_point;

// The data of an accepted assertion.
struct LoginAssertion {
  // The IdP's entity ID (the Assertion's Issuer): with the NameID, the key of an SSO user.
  std::string issuer;
  std::string name_id;
  std::string name_id_format;
  // The AuthnStatement's SessionIndex (may be empty): single logout names it.
  std::string session_index;
  std::string assertion_id;
  // Empty for an IdP-initiated login.
  std::string in_response_to;
  // The earliest NotOnOrAfter of the Conditions and the bearer confirmation: keep the assertion
  // ID for replay checks until then (plus the skew).
  TimePoint not_on_or_after;
  // The AuthnStatement's SessionNotOnOrAfter, when the IdP bounds the session.
  std::optional<TimePoint> session_not_on_or_after;
  Attributes attributes;
  // `attributes` through the configured mapping.
  MappedUser user;
};

struct LoginResult {
  Refusal refusal = Refusal::kNone;
  // For the log: what exactly did not hold. Never contains key material.
  std::string detail;
  LoginAssertion assertion;
  bool ok() const { return refusal == Refusal::kNone; }
};

// A message for the IdP by the HTTP-Redirect binding: 302 the browser to `url`.
struct Redirect {
  std::string url;
  // The message's ID: keep it to match the answer's InResponseTo.
  std::string request_id;
};

// Removes `request_id` from the outstanding requests; true if it was there. Called at most once
// per message, and only for a message whose signature and conditions held.
using RequestIdConsumer = std::function<bool(std::string_view request_id)>;
// Records `assertion_id` until `keep_until`; false if it was already recorded (a replay).
using AssertionIdRecorder =
    std::function<bool(std::string_view assertion_id, TimePoint keep_until)>;

// How a message arrived at the SLO URL.
enum class Binding {
  // `message` is the raw query string (SAMLRequest/SAMLResponse, RelayState, SigAlg, Signature
  // exactly as received: the signature covers the encoded bytes).
  kRedirect,
  // `message` is the form's SAMLRequest/SAMLResponse value (base64 XML, signed inside).
  kPost,
};

// A session to end with the IdP: the values of the LoginAssertion that opened it.
struct SessionRef {
  std::string name_id;
  std::string name_id_format;
  std::string session_index;
};

struct LogoutResponseResult {
  Refusal refusal = Refusal::kNone;
  std::string detail;
  std::string in_response_to;
  bool ok() const { return refusal == Refusal::kNone; }
};

// A LogoutRequest the IdP sent: end the sessions it names, then redirect to response_url.
struct IdpLogoutResult {
  Refusal refusal = Refusal::kNone;
  std::string detail;
  std::string request_id;
  std::string name_id;
  std::string name_id_format;
  // Empty: every session of name_id.
  std::vector<std::string> session_indexes;
  // The signed LogoutResponse (Success) to the IdP by HTTP-Redirect, with the RelayState.
  std::string response_url;
  bool ok() const { return refusal == Refusal::kNone; }
};

class ServiceProvider {
 public:
  // Checks the configuration: the key and certificate load and match, the metadata names an
  // IdP with a signing certificate and endpoints, URLs are absolute. Throws
  // std::invalid_argument with the reason.
  explicit ServiceProvider(ServiceProviderConfig config);
  ~ServiceProvider();
  ServiceProvider(const ServiceProvider&) = delete;
  ServiceProvider& operator=(const ServiceProvider&) = delete;

  const ServiceProviderConfig& config() const { return config_; }
  const std::string& idp_entity_id() const { return idp_entity_id_; }

  // The SP's EntityDescriptor: its certificate for signing, AuthnRequestsSigned and
  // WantAssertionsSigned, the ACS (HTTP-POST) and the SLO (HTTP-Redirect, HTTP-POST); signed
  // (enveloped, RSA-SHA256) when `sign`.
  std::string Metadata(bool sign) const;

  // A signed AuthnRequest for the IdP's HTTP-Redirect SSO endpoint, asking for an HTTP-POST
  // answer at the ACS URL, with `relay_state` (the caller's opaque state, at most 80 bytes as
  // SAML bindings §3.4.3 says).
  Redirect StartLogin(std::string_view relay_state) const;

  // The assertion consumer: `saml_response` is the form's SAMLResponse value.
  LoginResult ConsumeResponse(std::string_view saml_response,
                              const RequestIdConsumer& consume_request_id,
                              const AssertionIdRecorder& record_assertion_id, TimePoint now) const;

  // SP-initiated single logout: a signed LogoutRequest for the IdP's SLO endpoint.
  Redirect StartLogout(const SessionRef& session, std::string_view relay_state) const;

  // The IdP's LogoutResponse to StartLogout: signature, issuer, destination, InResponseTo
  // consumed from the outstanding requests, status Success.
  LogoutResponseResult FinishLogout(std::string_view message, Binding binding,
                                    const RequestIdConsumer& consume_request_id) const;

  // IdP-initiated single logout: checks the LogoutRequest (signature by the IdP, issuer,
  // destination, NotOnOrAfter) and builds the signed LogoutResponse. `relay_state` is the POST
  // form's RelayState (a redirect carries its own in `message`).
  IdpLogoutResult HandleLogoutRequest(std::string_view message, Binding binding,
                                      std::string_view relay_state, TimePoint now) const;

 private:
  ServiceProviderConfig config_;
  std::string sp_metadata_;
  std::string idp_entity_id_;
};

}  // namespace ss::saml
