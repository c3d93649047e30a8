// Single logout in both directions, with lasso building and verifying the messages.

#include <cstdlib>
#include <stdexcept>

#include "core/rfc3339.h"
#include "lasso_support.h"
#include "saml/service_provider.h"

namespace ss::saml {
namespace {

using detail::Str;

constexpr std::string_view kSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";

// Refusals for what lasso says about an incoming logout message.
// The stand-in SessionIndex of a LogoutRequest that names none.
constexpr const char* kAnySessionIndex = "any";

Refusal RefusalForLasso(int rc) {
  switch (rc) {
    case LASSO_DS_ERROR_SIGNATURE_NOT_FOUND:
      return Refusal::kUnsigned;
    case LASSO_SERVER_ERROR_PROVIDER_NOT_FOUND:
    case LASSO_PROFILE_ERROR_MISSING_ISSUER:
    case LASSO_PROFILE_ERROR_INVALID_ISSUER:
      return Refusal::kWrongIssuer;
    case LASSO_PROFILE_ERROR_STATUS_NOT_SUCCESS:
    case LASSO_PROFILE_ERROR_REQUEST_DENIED:
    case LASSO_LOGOUT_ERROR_REQUEST_DENIED:
      return Refusal::kStatusNotSuccess;
    case LASSO_PROFILE_ERROR_CANNOT_VERIFY_SIGNATURE:
    case LASSO_LOGIN_ERROR_INVALID_SIGNATURE:
      return Refusal::kBadSignature;
    default:
      // lasso numbers its XML-signature errors 101-199 (some negative).
      return std::abs(rc) > 100 && std::abs(rc) < 200 ? Refusal::kBadSignature
                                                      : Refusal::kMalformed;
  }
}

std::string IssuerOf(LassoSaml2NameID* issuer) {
  return issuer != nullptr ? Str(issuer->content) : "";
}

// lasso guesses a message's binding from its text; the caller knows it, so a message must look
// like what its binding carries: a query with `parameter`, or a bare base64 form value.
bool MatchesBinding(std::string_view message, Binding binding, std::string_view parameter) {
  const bool query = message.starts_with(std::string(parameter) + "=") ||
                     message.find("&" + std::string(parameter) + "=") != std::string_view::npos;
  if (binding == Binding::kRedirect)
    return query;
  return !query && message.find('&') == std::string_view::npos;
}

}  // namespace

Redirect ServiceProvider::StartLogout(const SessionRef& session,
                                      std::string_view relay_state) const {
  auto server = detail::NewServer(sp_metadata_, config_.private_key_pem, config_.certificate_pem,
                                  config_.idp_metadata_xml);
  detail::LogoutPtr logout(lasso_logout_new(server.get()));
  LassoProfile* profile = LASSO_PROFILE(logout.get());
  lasso_profile_set_signature_hint(profile, LASSO_PROFILE_SIGNATURE_HINT_FORCE);
  // lasso names the subject from a session it holds; we rebuild one from what auth stored.
  profile->session = detail::NewSession(idp_entity_id_, session.name_id, session.name_id_format,
                                        session.session_index);
  int rc = lasso_logout_init_request(logout.get(), const_cast<char*>(idp_entity_id_.c_str()),
                                     LASSO_HTTP_METHOD_REDIRECT);
  if (rc != 0)
    throw std::runtime_error("cannot start a logout with the IdP: " + detail::LassoError(rc));
  if (!relay_state.empty()) {
    g_free(profile->msg_relayState);
    profile->msg_relayState = g_strndup(relay_state.data(), relay_state.size());
  }
  rc = lasso_logout_build_request_msg(logout.get());
  if (rc != 0 || profile->msg_url == nullptr)
    throw std::runtime_error("cannot build the LogoutRequest: " + detail::LassoError(rc));
  auto* request = LASSO_SAMLP2_LOGOUT_REQUEST(profile->request);
  return {Str(profile->msg_url), Str(request->parent.ID)};
}

LogoutResponseResult ServiceProvider::FinishLogout(
    std::string_view message, Binding binding, const RequestIdConsumer& consume_request_id) const {
  LogoutResponseResult result;
  const auto refuse = [&result](Refusal refusal, std::string detail) {
    result.refusal = refusal;
    result.detail = std::move(detail);
    return result;
  };
  if (message.empty() || message.size() > 64 * 1024 ||
      !MatchesBinding(message, binding, "SAMLResponse")) {
    return refuse(Refusal::kMalformed, "no LogoutResponse, or too large");
  }
  auto server = detail::NewServer(sp_metadata_, config_.private_key_pem, config_.certificate_pem,
                                  config_.idp_metadata_xml);
  detail::LogoutPtr logout(lasso_logout_new(server.get()));
  LassoProfile* profile = LASSO_PROFILE(logout.get());
  lasso_profile_set_signature_verify_hint(profile, LASSO_PROFILE_SIGNATURE_VERIFY_HINT_FORCE);
  const std::string text(message);
  const int rc = lasso_logout_process_response_msg(logout.get(), const_cast<char*>(text.c_str()));
  auto* response = LASSO_IS_SAMLP2_STATUS_RESPONSE(profile->response)
                       ? LASSO_SAMLP2_STATUS_RESPONSE(profile->response)
                       : nullptr;
  // lasso returns a status other than Success before it looks at the signature's result, so
  // that one is checked here: an unsigned failure must not consume the outstanding logout.
  const bool status_error = rc == LASSO_LOGOUT_ERROR_REQUEST_DENIED ||
                            rc == LASSO_PROFILE_ERROR_STATUS_NOT_SUCCESS ||
                            rc == LASSO_PROFILE_ERROR_REQUEST_DENIED;
  if (rc != 0 && !status_error)
    return refuse(RefusalForLasso(rc), detail::LassoError(rc));
  if (profile->signature_status != 0) {
    return refuse(RefusalForLasso(profile->signature_status),
                  detail::LassoError(profile->signature_status));
  }
  if (response == nullptr)
    return refuse(Refusal::kMalformed, "not a LogoutResponse");
  result.in_response_to = Str(response->InResponseTo);
  if (IssuerOf(response->Issuer) != idp_entity_id_)
    return refuse(Refusal::kWrongIssuer, "issued by \"" + IssuerOf(response->Issuer) + "\"");
  if (Str(response->Destination) != config_.slo_url)
    return refuse(Refusal::kWrongDestination, "Destination \"" + Str(response->Destination) + "\"");
  if (result.in_response_to.empty() || !consume_request_id(result.in_response_to))
    return refuse(Refusal::kUnknownInResponseTo, "InResponseTo is not an outstanding logout");
  const std::string status = response->Status != nullptr && response->Status->StatusCode != nullptr
                                 ? Str(response->Status->StatusCode->Value)
                                 : "";
  if (status != kSuccess)
    return refuse(Refusal::kStatusNotSuccess, "IdP status " + status);
  return result;
}

IdpLogoutResult ServiceProvider::HandleLogoutRequest(std::string_view message, Binding binding,
                                                     std::string_view relay_state,
                                                     TimePoint now) const {
  IdpLogoutResult result;
  const auto refuse = [&result](Refusal refusal, std::string detail) {
    result.refusal = refusal;
    result.detail = std::move(detail);
    return result;
  };
  if (message.empty() || message.size() > 64 * 1024 ||
      !MatchesBinding(message, binding, "SAMLRequest")) {
    return refuse(Refusal::kMalformed, "no LogoutRequest, or too large");
  }
  auto server = detail::NewServer(sp_metadata_, config_.private_key_pem, config_.certificate_pem,
                                  config_.idp_metadata_xml);
  detail::LogoutPtr logout(lasso_logout_new(server.get()));
  LassoProfile* profile = LASSO_PROFILE(logout.get());
  lasso_profile_set_signature_verify_hint(profile, LASSO_PROFILE_SIGNATURE_VERIFY_HINT_FORCE);
  lasso_profile_set_signature_hint(profile, LASSO_PROFILE_SIGNATURE_HINT_FORCE);
  const std::string text(message);
  int rc = lasso_logout_process_request_msg(logout.get(), const_cast<char*>(text.c_str()));
  if (rc != 0)
    return refuse(RefusalForLasso(rc), detail::LassoError(rc));
  if (!LASSO_IS_SAMLP2_LOGOUT_REQUEST(profile->request))
    return refuse(Refusal::kMalformed, "not a LogoutRequest");
  auto* request = LASSO_SAMLP2_LOGOUT_REQUEST(profile->request);
  const std::string issuer = IssuerOf(request->parent.Issuer);
  if (issuer != idp_entity_id_)
    return refuse(Refusal::kWrongIssuer, "issued by \"" + issuer + "\"");
  if (Str(request->parent.Destination) != config_.slo_url) {
    return refuse(Refusal::kWrongDestination,
                  "Destination \"" + Str(request->parent.Destination) + "\"");
  }
  if (request->NotOnOrAfter != nullptr) {
    const auto end = core::ParseRfc3339(request->NotOnOrAfter);
    if (!end)
      return refuse(Refusal::kMalformed, "NotOnOrAfter is not an xs:dateTime");
    if (now - config_.clock_skew >= *end)
      return refuse(Refusal::kExpired, "the LogoutRequest expired");
  }
  if (request->NameID == nullptr || request->NameID->content == nullptr)
    return refuse(Refusal::kMalformed, "the LogoutRequest names no NameID");
  result.request_id = Str(request->parent.ID);
  result.name_id = Str(request->NameID->content);
  result.name_id_format = Str(request->NameID->Format);
  GList* indexes = lasso_samlp2_logout_request_get_session_indexes(request);
  for (GList* item = indexes; item != nullptr; item = item->next)
    result.session_indexes.push_back(Str(static_cast<const char*>(item->data)));
  g_list_free_full(indexes, g_free);

  // lasso answers Success only for a subject it has a session for: give it the one named. A
  // request without a SessionIndex ends every session of the NameID, and lasso still wants the
  // session to have an index.
  profile->session = detail::NewSession(
      idp_entity_id_, result.name_id, result.name_id_format,
      result.session_indexes.empty() ? kAnySessionIndex : result.session_indexes.front());
  if (binding == Binding::kPost && !relay_state.empty()) {
    g_free(profile->msg_relayState);
    profile->msg_relayState = g_strndup(relay_state.data(), relay_state.size());
  }
  rc = lasso_logout_validate_request(logout.get());
  if (rc != 0)
    return refuse(RefusalForLasso(rc), detail::LassoError(rc));
  // The answer goes back by redirect whatever binding the request came by.
  logout->initial_http_request_method = LASSO_HTTP_METHOD_REDIRECT;
  rc = lasso_logout_build_response_msg(logout.get());
  if (rc != 0 || profile->msg_url == nullptr)
    return refuse(Refusal::kMalformed,
                  "cannot build the LogoutResponse: " + detail::LassoError(rc));
  result.response_url = Str(profile->msg_url);
  return result;
}

}  // namespace ss::saml
