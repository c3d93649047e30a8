#include "saml/service_provider.h"

#include <libxml/parser.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "lasso_support.h"
#include "metadata.h"
#include "response_document.h"
#include "xml_nodes.h"

namespace ss::saml {
namespace {

using detail::Check;
using detail::Str;

// A browser POST of a Response with a few kilobytes of attributes stays far below this.
constexpr std::size_t kMaxMessageBytes = 512 * 1024;
constexpr std::string_view kBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

bool IsAbsoluteUrl(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// Strict base64 (standard alphabet, whitespace ignored, as form encoders wrap lines).
bool DecodeBase64(std::string_view text, std::string* bytes) {
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
      continue;
    const bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '/' || c == '=';
    if (!valid)
      return false;
    compact += c;
  }
  if (compact.empty() || compact.size() % 4 != 0)
    return false;
  bytes->resize(compact.size() / 4 * 3);
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes->data()),
                                   reinterpret_cast<const unsigned char*>(compact.data()),
                                   static_cast<int>(compact.size()));
  if (size < 0)
    return false;
  std::size_t padding = 0;
  while (padding < 2 && compact[compact.size() - 1 - padding] == '=')
    ++padding;
  bytes->resize(static_cast<std::size_t>(size) - padding);
  return true;
}

void CheckKeyPair(const std::string& key_pem, const std::string& cert_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key)
    throw std::invalid_argument("the SP private key is not a PEM private key");
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert)
    throw std::invalid_argument("the SP certificate is not a PEM certificate");
  if (X509_check_private_key(cert.get(), key.get()) != 1)
    throw std::invalid_argument("the SP certificate does not match its private key");
}

// The IdP's entity ID, after checking that the metadata describes an IdP with a certificate.
std::string ReadIdpEntityId(const std::string& metadata) {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(metadata.data(), static_cast<int>(metadata.size()), "idp.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      &xmlFreeDoc);
  if (!doc)
    throw std::invalid_argument("the IdP metadata is not well-formed XML");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!detail::Is(root, detail::kMetadata, "EntityDescriptor"))
    throw std::invalid_argument("the IdP metadata is not one md:EntityDescriptor");
  xmlNode* idp = detail::Child(root, detail::kMetadata, "IDPSSODescriptor");
  if (idp == nullptr)
    throw std::invalid_argument("the IdP metadata has no IDPSSODescriptor");
  bool has_signing_key = false;
  for (xmlNode* key : detail::Children(idp, detail::kMetadata, "KeyDescriptor")) {
    const std::string use = detail::Attribute(key, "use");
    has_signing_key = has_signing_key || use.empty() || use == "signing";
  }
  if (!has_signing_key)
    throw std::invalid_argument("the IdP metadata has no signing certificate");
  const std::string entity_id = detail::Attribute(root, "entityID");
  if (entity_id.empty())
    throw std::invalid_argument("the IdP metadata has no entityID");
  return entity_id;
}

Check Refuse(Refusal refusal, std::string detail) {
  return {refusal, std::move(detail)};
}

// What lasso's error codes mean for the refusal we report. Our own reading already found a
// signature, so a missing one is a bad one here.
Check FromLasso(int rc) {
  switch (rc) {
    case LASSO_SERVER_ERROR_PROVIDER_NOT_FOUND:
    case LASSO_PROFILE_ERROR_MISSING_ISSUER:
    case LASSO_PROFILE_ERROR_INVALID_ISSUER:
      return Refuse(Refusal::kWrongIssuer, detail::LassoError(rc));
    case LASSO_PROFILE_ERROR_STATUS_NOT_SUCCESS:
    case LASSO_LOGIN_ERROR_STATUS_NOT_SUCCESS:
      return Refuse(Refusal::kStatusNotSuccess, detail::LassoError(rc));
    default:
      // Everything else lasso refuses is taken as a signature it could not verify: the checks
      // that come after it would otherwise read data nobody vouched for.
      return Refuse(Refusal::kBadSignature, detail::LassoError(rc));
  }
}

// The bearer confirmation that holds, or the refusal of the first that does not.
Check CheckConfirmations(const detail::ResponseDocument& document,
                         const ServiceProviderConfig& config, TimePoint now,
                         TimePoint* not_on_or_after) {
  Check first_failure = Refuse(Refusal::kMalformed, "no bearer SubjectConfirmation");
  bool failed = false;
  for (const auto& confirmation : document.confirmations) {
    if (confirmation.method != kBearer)
      continue;
    Check check;
    if (confirmation.recipient != config.acs_url) {
      check = Refuse(Refusal::kWrongRecipient, "Recipient \"" + confirmation.recipient + "\"");
    } else if (!confirmation.not_on_or_after) {
      check = Refuse(Refusal::kMalformed, "a bearer confirmation without NotOnOrAfter");
    } else if (now - config.clock_skew >= *confirmation.not_on_or_after) {
      check = Refuse(Refusal::kExpired, "the subject confirmation expired");
    } else if (confirmation.not_before && now + config.clock_skew < *confirmation.not_before) {
      check = Refuse(Refusal::kNotYetValid, "the subject confirmation is not yet valid");
    } else if (!confirmation.in_response_to.empty() &&
               confirmation.in_response_to != document.in_response_to) {
      check = Refuse(Refusal::kUnknownInResponseTo,
                     "the confirmation's InResponseTo differs from the response's");
    }
    if (check.ok()) {
      *not_on_or_after = *confirmation.not_on_or_after;
      return check;
    }
    if (!failed) {
      first_failure = check;
      failed = true;
    }
  }
  return first_failure;
}

Check CheckConditions(const detail::ResponseDocument& document, const ServiceProviderConfig& config,
                      TimePoint now) {
  if (document.not_before && now + config.clock_skew < *document.not_before)
    return Refuse(Refusal::kNotYetValid, "the assertion is not yet valid");
  if (document.not_on_or_after && now - config.clock_skew >= *document.not_on_or_after)
    return Refuse(Refusal::kExpired, "the assertion expired");
  if (document.audience_restrictions.empty())
    return Refuse(Refusal::kWrongAudience, "the assertion has no AudienceRestriction");
  for (const auto& audiences : document.audience_restrictions) {
    if (std::find(audiences.begin(), audiences.end(), config.entity_id) == audiences.end())
      return Refuse(Refusal::kWrongAudience, "the assertion is for another audience");
  }
  return {};
}

// The signature of the assertion lasso parsed, by the IdP's key from its metadata.
int VerifyAssertionSignature(LassoServer* server, LassoLogin* login,
                             const std::string& idp_entity_id) {
  LassoProvider* idp = lasso_server_get_provider(server, idp_entity_id.c_str());
  LassoNode* assertion = lasso_login_get_assertion(login);
  if (idp == nullptr || assertion == nullptr) {
    if (assertion != nullptr)
      g_object_unref(assertion);
    return LASSO_DS_ERROR_SIGNATURE_VERIFICATION_FAILED;
  }
  const int rc = lasso_provider_verify_single_node_signature(idp, assertion, "ID");
  g_object_unref(assertion);
  return rc;
}

// lasso verifies the signature of what it parsed; this makes sure that is what we read.
Check CheckLassoSawTheSame(LassoLogin* login, const detail::ResponseDocument& document) {
  LassoNode* node = lasso_login_get_assertion(login);
  std::string assertion_id;
  if (node != nullptr && LASSO_IS_SAML2_ASSERTION(node))
    assertion_id = Str(LASSO_SAML2_ASSERTION(node)->ID);
  if (node != nullptr)
    g_object_unref(node);
  LassoNode* name = lasso_profile_get_nameIdentifier(LASSO_PROFILE(login));
  std::string name_id = name != nullptr && LASSO_IS_SAML2_NAME_ID(name)
                            ? Str(LASSO_SAML2_NAME_ID(name)->content)
                            : "";
  // Ours is trimmed of surrounding whitespace (pretty-printed XML); compare alike.
  name_id.erase(0, name_id.find_first_not_of(" \t\r\n"));
  name_id.erase(name_id.find_last_not_of(" \t\r\n") + 1);
  if (assertion_id != document.assertion_id || name_id != document.name_id) {
    return Refuse(Refusal::kSignatureWrapping,
                  "lasso's assertion or NameID differs from the one read");
  }
  return {};
}

}  // namespace

std::string_view RefusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone:
      return "none";
    case Refusal::kMalformed:
      return "malformed";
    case Refusal::kStatusNotSuccess:
      return "status-not-success";
    case Refusal::kWrongIssuer:
      return "wrong-issuer";
    case Refusal::kUnsigned:
      return "unsigned";
    case Refusal::kBadSignature:
      return "bad-signature";
    case Refusal::kSignatureWrapping:
      return "signature-wrapping";
    case Refusal::kCommentInAssertion:
      return "comment-in-assertion";
    case Refusal::kEncryptedAssertion:
      return "encrypted-assertion";
    case Refusal::kWrongDestination:
      return "wrong-destination";
    case Refusal::kWrongRecipient:
      return "wrong-recipient";
    case Refusal::kWrongAudience:
      return "wrong-audience";
    case Refusal::kNotYetValid:
      return "not-yet-valid";
    case Refusal::kExpired:
      return "expired";
    case Refusal::kUnknownInResponseTo:
      return "unknown-in-response-to";
    case Refusal::kUnsolicited:
      return "unsolicited";
    case Refusal::kReplayed:
      return "replayed";
  }
  return "unknown";
}

ServiceProvider::ServiceProvider(ServiceProviderConfig config) : config_(std::move(config)) {
  if (config_.entity_id.empty())
    throw std::invalid_argument("the SP entity ID is empty");
  if (!IsAbsoluteUrl(config_.acs_url) || !IsAbsoluteUrl(config_.slo_url))
    throw std::invalid_argument("the ACS and SLO URLs must be absolute http(s) URLs");
  if (config_.clock_skew < std::chrono::seconds(0))
    throw std::invalid_argument("the clock skew is negative");
  CheckKeyPair(config_.private_key_pem, config_.certificate_pem);
  idp_entity_id_ = ReadIdpEntityId(config_.idp_metadata_xml);
  sp_metadata_ = detail::BuildSpMetadata(config_);
  // Building a request now surfaces metadata lasso cannot use (no SSO endpoint, bad key).
  StartLogin("");
}

ServiceProvider::~ServiceProvider() = default;

std::string ServiceProvider::Metadata(bool sign) const {
  return sign
             ? detail::SignEnveloped(sp_metadata_, config_.private_key_pem, config_.certificate_pem)
             : sp_metadata_;
}

Redirect ServiceProvider::StartLogin(std::string_view relay_state) const {
  auto server = detail::NewServer(sp_metadata_, config_.private_key_pem, config_.certificate_pem,
                                  config_.idp_metadata_xml);
  detail::LoginPtr login(lasso_login_new(server.get()));
  LassoProfile* profile = LASSO_PROFILE(login.get());
  lasso_profile_set_signature_hint(profile, LASSO_PROFILE_SIGNATURE_HINT_FORCE);
  int rc = lasso_login_init_authn_request(login.get(), idp_entity_id_.c_str(),
                                          LASSO_HTTP_METHOD_REDIRECT);
  if (rc != 0)
    throw std::invalid_argument("cannot start a login with the IdP: " + detail::LassoError(rc));
  auto* request = LASSO_SAMLP2_AUTHN_REQUEST(profile->request);
  g_free(request->ProtocolBinding);
  request->ProtocolBinding = g_strdup(LASSO_SAML2_METADATA_BINDING_POST);
  g_free(request->AssertionConsumerServiceURL);
  request->AssertionConsumerServiceURL = g_strdup(config_.acs_url.c_str());
  if (request->NameIDPolicy != nullptr) {
    // Any format the IdP is configured for; the user is keyed by (issuer, NameID) whatever it is.
    g_free(request->NameIDPolicy->Format);
    request->NameIDPolicy->Format = g_strdup(LASSO_SAML2_NAME_IDENTIFIER_FORMAT_UNSPECIFIED);
    request->NameIDPolicy->AllowCreate = TRUE;
  }
  if (!relay_state.empty()) {
    g_free(profile->msg_relayState);
    profile->msg_relayState = g_strndup(relay_state.data(), relay_state.size());
  }
  rc = lasso_login_build_authn_request_msg(login.get());
  if (rc != 0 || profile->msg_url == nullptr)
    throw std::runtime_error("cannot build the AuthnRequest: " + detail::LassoError(rc));
  return {Str(profile->msg_url), Str(request->parent.ID)};
}

LoginResult ServiceProvider::ConsumeResponse(std::string_view saml_response,
                                             const RequestIdConsumer& consume_request_id,
                                             const AssertionIdRecorder& record_assertion_id,
                                             TimePoint now) const {
  LoginResult result;
  const auto refuse = [&result](Check check) {
    result.refusal = check.refusal;
    result.detail = std::move(check.detail);
    return result;
  };
  std::string xml;
  if (saml_response.size() > kMaxMessageBytes)
    return refuse(Refuse(Refusal::kMalformed, "the SAMLResponse is too large"));
  if (!DecodeBase64(saml_response, &xml))
    return refuse(Refuse(Refusal::kMalformed, "the SAMLResponse is not base64"));

  detail::ResponseDocument document;
  if (Check check = detail::ReadResponse(xml, &document); !check.ok())
    return refuse(std::move(check));
  if (document.assertion_issuer != idp_entity_id_ ||
      (!document.response_issuer.empty() && document.response_issuer != idp_entity_id_)) {
    return refuse(Refuse(Refusal::kWrongIssuer, "issued by \"" + document.assertion_issuer + "\""));
  }

  auto server = detail::NewServer(sp_metadata_, config_.private_key_pem, config_.certificate_pem,
                                  config_.idp_metadata_xml);
  detail::LoginPtr login(lasso_login_new(server.get()));
  // lasso's hints: FORCE verifies every signature and wants one on the Response and on each
  // Assertion; MAYBE verifies the Response's and refuses it if it fails. A signed Response must
  // hold (signature_status is its verification), and a signed Assertion is verified again on its
  // own, with the IdP metadata's key: lasso 2.8 does not report that result when the Response is
  // unsigned and the hint is IGNORE, which is the only hint that lets that case through.
  LassoProfile* profile = LASSO_PROFILE(login.get());
  LassoProfileSignatureVerifyHint hint = LASSO_PROFILE_SIGNATURE_VERIFY_HINT_IGNORE;
  if (document.response_signed) {
    hint = document.assertion_signed ? LASSO_PROFILE_SIGNATURE_VERIFY_HINT_FORCE
                                     : LASSO_PROFILE_SIGNATURE_VERIFY_HINT_MAYBE;
  }
  lasso_profile_set_signature_verify_hint(profile, hint);
  const std::string message(saml_response);
  int rc = lasso_login_process_authn_response_msg(login.get(), const_cast<char*>(message.c_str()));
  if (rc == 0)
    rc = lasso_login_accept_sso(login.get());
  if (rc == 0 && document.response_signed)
    rc = profile->signature_status;
  if (rc == 0 && document.assertion_signed)
    rc = VerifyAssertionSignature(server.get(), login.get(), idp_entity_id_);
  if (rc != 0)
    return refuse(FromLasso(rc));
  if (Check check = CheckLassoSawTheSame(login.get(), document); !check.ok())
    return refuse(std::move(check));

  if (document.destination != config_.acs_url)
    return refuse(
        Refuse(Refusal::kWrongDestination, "Destination \"" + document.destination + "\""));
  TimePoint confirmation_end;
  if (Check check = CheckConfirmations(document, config_, now, &confirmation_end); !check.ok())
    return refuse(std::move(check));
  if (Check check = CheckConditions(document, config_, now); !check.ok())
    return refuse(std::move(check));

  if (document.in_response_to.empty()) {
    if (!config_.allow_idp_initiated)
      return refuse(Refuse(Refusal::kUnsolicited, "IdP-initiated logins are not allowed"));
  } else if (!consume_request_id(document.in_response_to)) {
    return refuse(Refuse(Refusal::kUnknownInResponseTo,
                         "InResponseTo \"" + document.in_response_to + "\" is not outstanding"));
  }
  const TimePoint end = document.not_on_or_after
                            ? std::min(confirmation_end, *document.not_on_or_after)
                            : confirmation_end;
  if (!record_assertion_id(document.assertion_id, end + config_.clock_skew))
    return refuse(Refuse(Refusal::kReplayed, "assertion " + document.assertion_id + " was used"));

  LoginAssertion& assertion = result.assertion;
  assertion.issuer = document.assertion_issuer;
  assertion.name_id = document.name_id;
  assertion.name_id_format = document.name_id_format;
  assertion.session_index = document.session_index;
  assertion.assertion_id = document.assertion_id;
  assertion.in_response_to = document.in_response_to;
  assertion.not_on_or_after = end;
  assertion.session_not_on_or_after = document.session_not_on_or_after;
  assertion.attributes = std::move(document.attributes);
  assertion.user = MapAttributes(config_.mapping, assertion.attributes, assertion.name_id,
                                 assertion.name_id_format);
  return result;
}

}  // namespace ss::saml
