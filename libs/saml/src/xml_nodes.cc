#include "xml_nodes.h"

namespace ss::saml::detail {
namespace {

std::string_view View(const xmlChar* text) {
  return text != nullptr ? std::string_view(reinterpret_cast<const char*>(text))
                         : std::string_view();
}

}  // namespace

bool Is(const xmlNode* node, std::string_view ns, std::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         View(node->ns->href) == ns && View(node->name) == name;
}

xmlNode* Child(const xmlNode* node, std::string_view ns, std::string_view name) {
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (Is(child, ns, name))
      return child;
  }
  return nullptr;
}

std::vector<xmlNode*> Children(const xmlNode* node, std::string_view ns, std::string_view name) {
  std::vector<xmlNode*> found;
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (Is(child, ns, name))
      found.push_back(child);
  }
  return found;
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string text(View(value));
  xmlFree(value);
  return text;
}

std::string Text(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string text(View(content));
  xmlFree(content);
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos)
    return "";
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace ss::saml::detail
