// The SP's metadata document and its enveloped signature (xmlsec, which lasso also uses).
#pragma once

#include <string>

#include "saml/service_provider.h"

namespace ss::saml::detail {

// The unsigned EntityDescriptor of the SP (ID "_sp-metadata").
std::string BuildSpMetadata(const ServiceProviderConfig& config);

// `xml` with an enveloped RSA-SHA256 signature of its root element (by its ID attribute) as the
// root's first child, with the certificate in KeyInfo. Throws std::runtime_error on failure.
std::string SignEnveloped(const std::string& xml, const std::string& private_key_pem,
                          const std::string& certificate_pem);

// The base64 body of the first certificate in `pem` (no header lines, no whitespace).
std::string CertificateBody(const std::string& pem);

// `text` escaped for an XML attribute value or text node.
std::string XmlEscape(std::string_view text);

}  // namespace ss::saml::detail
