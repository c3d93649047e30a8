#include "metadata.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <memory>
#include <sstream>
#include <stdexcept>

#include "lasso_support.h"

namespace ss::saml::detail {
namespace {

constexpr std::string_view kRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
constexpr std::string_view kPost = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

const xmlChar* X(const char* text) {
  return reinterpret_cast<const xmlChar*>(text);
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string CertificateBody(const std::string& pem) {
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const auto start = pem.find(begin);
  const auto end = pem.find("-----END CERTIFICATE-----", start);
  if (start == std::string::npos || end == std::string::npos)
    return "";
  std::string body;
  for (const char c : pem.substr(start + begin.size(), end - start - begin.size())) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t')
      body += c;
  }
  return body;
}

std::string BuildSpMetadata(const ServiceProviderConfig& config) {
  std::ostringstream xml;
  xml << R"(<?xml version="1.0" encoding="UTF-8"?>)" << '\n'
      << R"(<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" )"
      << R"(xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_sp-metadata" entityID=")"
      << XmlEscape(config.entity_id) << "\">"
      << R"(<md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" )"
      << R"(protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">)"
      << R"(<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>)"
      << CertificateBody(config.certificate_pem)
      << "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  for (const auto binding : {kRedirect, kPost}) {
    xml << "<md:SingleLogoutService Binding=\"" << binding << "\" Location=\""
        << XmlEscape(config.slo_url) << "\"/>";
  }
  xml << "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
      << "</md:NameIDFormat>"
      << "<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
      << "</md:NameIDFormat>"
      << "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
      << "</md:NameIDFormat>"
      << "<md:AssertionConsumerService Binding=\"" << kPost << "\" Location=\""
      << XmlEscape(config.acs_url) << "\" index=\"0\" isDefault=\"true\"/>"
      << "</md:SPSSODescriptor></md:EntityDescriptor>\n";
  return xml.str();
}

std::string SignEnveloped(const std::string& xml, const std::string& private_key_pem,
                          const std::string& certificate_pem) {
  EnsureLasso();
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "metadata.xml", nullptr,
                    XML_PARSE_NONET),
      &xmlFreeDoc);
  if (!doc)
    throw std::runtime_error("metadata is not well-formed");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlAttr* id = xmlHasProp(root, X("ID"));
  if (id == nullptr)
    throw std::runtime_error("metadata root has no ID");
  xmlChar* id_value = xmlNodeListGetString(doc.get(), id->children, 1);
  const std::string uri = "#" + std::string(reinterpret_cast<const char*>(id_value));
  xmlAddID(nullptr, doc.get(), id_value, id);
  xmlFree(id_value);

  xmlNode* signature = xmlSecTmplSignatureCreate(doc.get(), xmlSecTransformExclC14NId,
                                                 xmlSecTransformRsaSha256Id, nullptr);
  if (root->children != nullptr)
    xmlAddPrevSibling(root->children, signature);
  else
    xmlAddChild(root, signature);
  xmlNode* reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                       X(uri.c_str()), nullptr);
  xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId);
  xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId);
  xmlSecTmplKeyInfoAddX509Data(xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr));

  std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> context(
      xmlSecDSigCtxCreate(nullptr), &xmlSecDSigCtxDestroy);
  context->signKey =
      xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(private_key_pem.data()),
                                   static_cast<xmlSecSize>(private_key_pem.size()),
                                   xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
  if (context->signKey == nullptr ||
      xmlSecCryptoAppKeyCertLoadMemory(
          context->signKey, reinterpret_cast<const xmlSecByte*>(certificate_pem.data()),
          static_cast<xmlSecSize>(certificate_pem.size()), xmlSecKeyDataFormatPem) < 0 ||
      xmlSecDSigCtxSign(context.get(), signature) < 0) {
    throw std::runtime_error("signing the metadata failed");
  }
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc.get(), &out, &size, "UTF-8");
  std::string signed_xml(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  return signed_xml;
}

}  // namespace ss::saml::detail
