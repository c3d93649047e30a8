#include "lasso_support.h"

#include <spdlog/spdlog.h>

#include <mutex>
#include <stdexcept>

namespace ss::saml::detail {
namespace {

void LogToSpdlog(const gchar* domain, GLogLevelFlags, const gchar* message, gpointer) {
  spdlog::debug("{}: {}", domain != nullptr ? domain : "lasso", message);
}

}  // namespace

void GObjectUnref::operator()(void* object) const {
  if (object != nullptr)
    g_object_unref(object);
}

void EnsureLasso() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (lasso_init() != 0)
      throw std::runtime_error("lasso_init failed");
    g_log_set_handler("Lasso", static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK), LogToSpdlog, nullptr);
  });
}

ServerPtr NewServer(const std::string& sp_metadata, const std::string& private_key_pem,
                    const std::string& certificate_pem, const std::string& idp_metadata) {
  EnsureLasso();
  ServerPtr server(lasso_server_new_from_buffers(sp_metadata.c_str(), private_key_pem.c_str(),
                                                 nullptr, certificate_pem.c_str()));
  if (!server)
    throw std::invalid_argument("lasso refuses the SP metadata, key or certificate");
  const int rc = lasso_server_add_provider_from_buffer(server.get(), LASSO_PROVIDER_ROLE_IDP,
                                                       idp_metadata.c_str(), nullptr, nullptr);
  if (rc != 0)
    throw std::invalid_argument("lasso refuses the IdP metadata: " + LassoError(rc));
  return server;
}

LassoSession* NewSession(const std::string& idp_entity_id, const std::string& name_id,
                         const std::string& name_id_format, const std::string& session_index) {
  auto* assertion = LASSO_SAML2_ASSERTION(lasso_saml2_assertion_new());
  assertion->Issuer = LASSO_SAML2_NAME_ID(
      lasso_saml2_name_id_new_with_string(const_cast<char*>(idp_entity_id.c_str())));
  assertion->Subject = LASSO_SAML2_SUBJECT(lasso_saml2_subject_new());
  auto* subject_name =
      LASSO_SAML2_NAME_ID(lasso_saml2_name_id_new_with_string(const_cast<char*>(name_id.c_str())));
  if (!name_id_format.empty())
    subject_name->Format = g_strdup(name_id_format.c_str());
  assertion->Subject->NameID = subject_name;
  auto* statement = LASSO_SAML2_AUTHN_STATEMENT(lasso_saml2_authn_statement_new());
  if (!session_index.empty())
    statement->SessionIndex = g_strdup(session_index.c_str());
  assertion->AuthnStatement = g_list_append(nullptr, statement);
  LassoSession* session = lasso_session_new();
  lasso_session_add_assertion(session, idp_entity_id.c_str(), LASSO_NODE(assertion));
  g_object_unref(assertion);
  return session;
}

std::string LassoError(int code) {
  return Str(lasso_strerror(code)) + " (" + std::to_string(code) + ")";
}

std::string Str(const char* text) {
  return text != nullptr ? text : "";
}

}  // namespace ss::saml::detail
