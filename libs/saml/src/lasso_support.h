// lasso (liblasso3) behind RAII handles. lasso objects are not thread-safe: every call builds
// its own LassoServer from the immutable texts and drops it at the end.
#pragma once

// libxml2's headers first: lasso wraps its includes in extern "C", and libxml2 pulls in ICU's
// C++ headers, which must not be seen for the first time inside it.
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
// clang-format off
#include <lasso/lasso.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_authn_statement.h>
#include <lasso/xml/saml-2.0/saml2_name_id.h>
#include <lasso/xml/saml-2.0/saml2_subject.h>
#include <lasso/xml/saml-2.0/samlp2_authn_request.h>
#include <lasso/xml/saml-2.0/samlp2_logout_request.h>
#include <lasso/xml/saml-2.0/samlp2_name_id_policy.h>
#include <lasso/xml/saml-2.0/samlp2_status.h>
#include <lasso/xml/saml-2.0/samlp2_status_code.h>
#include <lasso/xml/saml-2.0/samlp2_status_response.h>
// clang-format on

#include <memory>
#include <string>

namespace ss::saml::detail {

struct GObjectUnref {
  void operator()(void* object) const;
};
using ServerPtr = std::unique_ptr<LassoServer, GObjectUnref>;
using LoginPtr = std::unique_ptr<LassoLogin, GObjectUnref>;
using LogoutPtr = std::unique_ptr<LassoLogout, GObjectUnref>;

// Initializes lasso (and through it libxml2 and xmlsec) once per process, and sends its log to
// spdlog at debug level.
void EnsureLasso();

// The SP described by `sp_metadata` with its key and certificate, and the one IdP of
// `idp_metadata`. Throws std::invalid_argument if lasso refuses either.
ServerPtr NewServer(const std::string& sp_metadata, const std::string& private_key_pem,
                    const std::string& certificate_pem, const std::string& idp_metadata);

// A session that holds one assertion from `idp_entity_id` for `name_id` and `session_index`:
// what lasso's logout needs to name the subject (we keep no lasso sessions between calls).
LassoSession* NewSession(const std::string& idp_entity_id, const std::string& name_id,
                         const std::string& name_id_format, const std::string& session_index);

// lasso's text for an error code.
std::string LassoError(int code);

// A copy of a lasso string ("" for null).
std::string Str(const char* text);

}  // namespace ss::saml::detail
