// Small libxml2 helpers: namespaced element matching, children, attributes and text.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

namespace ss::saml::detail {

inline constexpr std::string_view kAssertion = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr std::string_view kProtocol = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr std::string_view kMetadata = "urn:oasis:names:tc:SAML:2.0:metadata";
inline constexpr std::string_view kDsig = "http://www.w3.org/2000/09/xmldsig#";

// True for an element named `name` in namespace `ns`.
bool Is(const xmlNode* node, std::string_view ns, std::string_view name);

// The first child element `ns`:`name`, or nullptr.
xmlNode* Child(const xmlNode* node, std::string_view ns, std::string_view name);

std::vector<xmlNode*> Children(const xmlNode* node, std::string_view ns, std::string_view name);

// An attribute without namespace; "" when absent.
std::string Attribute(const xmlNode* node, const char* name);

// The concatenated text of the node and its descendants, trimmed of surrounding whitespace.
std::string Text(const xmlNode* node);

}  // namespace ss::saml::detail
