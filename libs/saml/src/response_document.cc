#include "response_document.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <functional>
#include <memory>
#include <set>

#include "core/rfc3339.h"
#include "xml_nodes.h"

namespace ss::saml::detail {
namespace {

Check Refuse(Refusal refusal, std::string detail) {
  return {refusal, std::move(detail)};
}

// Calls `visit` on every element under (and including) `node`, depth first.
void ForEachElement(xmlNode* node, const std::function<void(xmlNode*)>& visit) {
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE) {
      visit(node);
      ForEachElement(node->children, visit);
    }
  }
}

std::optional<TimePoint> TimeAttribute(const xmlNode* node, const char* name, bool* bad) {
  const std::string text = Attribute(node, name);
  if (text.empty())
    return std::nullopt;
  auto time = core::ParseRfc3339(text);
  if (!time)
    *bad = true;
  return time;
}

// Every ID-like attribute (ID, Id, id, xml:id) must be unique: XML signature references resolve
// through them, and a duplicate lets a reference find another element than the one we read.
Check CheckUniqueIds(xmlNode* root) {
  std::set<std::string> seen;
  std::string duplicate;
  ForEachElement(root, [&](xmlNode* element) {
    for (xmlAttr* attribute = element->properties; attribute != nullptr;
         attribute = attribute->next) {
      const std::string name = reinterpret_cast<const char*>(attribute->name);
      if (name != "ID" && name != "Id" && name != "id")
        continue;
      xmlChar* value = xmlNodeListGetString(element->doc, attribute->children, 1);
      const std::string text = value != nullptr ? reinterpret_cast<const char*>(value) : "";
      xmlFree(value);
      if (!seen.insert(text).second)
        duplicate = text;
    }
  });
  if (!duplicate.empty())
    return Refuse(Refusal::kSignatureWrapping, "duplicate ID " + duplicate);
  return {};
}

// A ds:Signature may only sign its own parent, the Response or the Assertion.
Check CheckSignatures(xmlNode* root, xmlNode* assertion, ResponseDocument* document) {
  Check check;
  ForEachElement(root, [&](xmlNode* element) {
    if (!check.ok() || !Is(element, kDsig, "Signature"))
      return;
    xmlNode* parent = element->parent;
    if (parent != root && parent != assertion) {
      check =
          Refuse(Refusal::kSignatureWrapping,
                 "a signature inside " + std::string(reinterpret_cast<const char*>(parent->name)));
      return;
    }
    bool& signed_flag = parent == root ? document->response_signed : document->assertion_signed;
    if (signed_flag) {
      check = Refuse(Refusal::kSignatureWrapping, "two signatures on one element");
      return;
    }
    signed_flag = true;
    xmlNode* signed_info = Child(element, kDsig, "SignedInfo");
    const std::vector<xmlNode*> references = signed_info != nullptr
                                                 ? Children(signed_info, kDsig, "Reference")
                                                 : std::vector<xmlNode*>{};
    if (references.size() != 1) {
      check = Refuse(Refusal::kSignatureWrapping, "a signature must have exactly one reference");
      return;
    }
    const std::string id = Attribute(parent, "ID");
    if (id.empty() || Attribute(references[0], "URI") != "#" + id) {
      check = Refuse(Refusal::kSignatureWrapping,
                     "a signature references another element than its parent");
    }
  });
  return check;
}

Check CheckNoComments(xmlNode* node) {
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_COMMENT_NODE || child->type == XML_PI_NODE) {
      return Refuse(Refusal::kCommentInAssertion,
                    "the assertion contains a comment or processing instruction");
    }
    if (child->type == XML_ELEMENT_NODE) {
      if (Check check = CheckNoComments(child); !check.ok())
        return check;
    }
  }
  return {};
}

Check ReadStatus(xmlNode* root) {
  xmlNode* status = Child(root, kProtocol, "Status");
  xmlNode* code = status != nullptr ? Child(status, kProtocol, "StatusCode") : nullptr;
  if (code == nullptr)
    return Refuse(Refusal::kMalformed, "no StatusCode");
  std::string value = Attribute(code, "Value");
  if (value == "urn:oasis:names:tc:SAML:2.0:status:Success")
    return {};
  if (xmlNode* second = Child(code, kProtocol, "StatusCode"))
    value += " / " + Attribute(second, "Value");
  if (xmlNode* message = Child(status, kProtocol, "StatusMessage"))
    value += ": " + Text(message);
  return Refuse(Refusal::kStatusNotSuccess, "IdP status " + value);
}

Check ReadAssertion(xmlNode* assertion, ResponseDocument* document) {
  document->assertion_id = Attribute(assertion, "ID");
  if (xmlNode* issuer = Child(assertion, kAssertion, "Issuer"))
    document->assertion_issuer = Text(issuer);
  xmlNode* subject = Child(assertion, kAssertion, "Subject");
  if (subject == nullptr)
    return Refuse(Refusal::kMalformed, "the assertion has no Subject");
  if (Child(subject, kAssertion, "EncryptedID") != nullptr)
    return Refuse(Refusal::kEncryptedAssertion, "encrypted NameIDs are not supported");
  xmlNode* name_id = Child(subject, kAssertion, "NameID");
  if (name_id == nullptr)
    return Refuse(Refusal::kMalformed, "the Subject has no NameID");
  for (xmlNode* child = name_id->children; child != nullptr; child = child->next) {
    if (child->type != XML_TEXT_NODE && child->type != XML_CDATA_SECTION_NODE)
      return Refuse(Refusal::kMalformed, "the NameID holds more than text");
  }
  document->name_id = Text(name_id);
  document->name_id_format = Attribute(name_id, "Format");
  if (document->name_id.empty())
    return Refuse(Refusal::kMalformed, "the NameID is empty");

  bool bad_time = false;
  for (xmlNode* confirmation : Children(subject, kAssertion, "SubjectConfirmation")) {
    Confirmation entry;
    entry.method = Attribute(confirmation, "Method");
    if (xmlNode* data = Child(confirmation, kAssertion, "SubjectConfirmationData")) {
      entry.recipient = Attribute(data, "Recipient");
      entry.in_response_to = Attribute(data, "InResponseTo");
      entry.not_before = TimeAttribute(data, "NotBefore", &bad_time);
      entry.not_on_or_after = TimeAttribute(data, "NotOnOrAfter", &bad_time);
    }
    document->confirmations.push_back(std::move(entry));
  }
  if (xmlNode* conditions = Child(assertion, kAssertion, "Conditions")) {
    document->not_before = TimeAttribute(conditions, "NotBefore", &bad_time);
    document->not_on_or_after = TimeAttribute(conditions, "NotOnOrAfter", &bad_time);
    for (xmlNode* restriction : Children(conditions, kAssertion, "AudienceRestriction")) {
      std::vector<std::string> audiences;
      for (xmlNode* audience : Children(restriction, kAssertion, "Audience"))
        audiences.push_back(Text(audience));
      document->audience_restrictions.push_back(std::move(audiences));
    }
  }
  if (xmlNode* statement = Child(assertion, kAssertion, "AuthnStatement")) {
    document->session_index = Attribute(statement, "SessionIndex");
    document->session_not_on_or_after = TimeAttribute(statement, "SessionNotOnOrAfter", &bad_time);
  }
  if (bad_time)
    return Refuse(Refusal::kMalformed, "a time is not an xs:dateTime");
  for (xmlNode* statement : Children(assertion, kAssertion, "AttributeStatement")) {
    if (Child(statement, kAssertion, "EncryptedAttribute") != nullptr)
      return Refuse(Refusal::kEncryptedAssertion, "encrypted attributes are not supported");
    for (xmlNode* attribute : Children(statement, kAssertion, "Attribute")) {
      auto& values = document->attributes[Attribute(attribute, "Name")];
      for (xmlNode* value : Children(attribute, kAssertion, "AttributeValue"))
        values.push_back(Text(value));
    }
  }
  return {};
}

}  // namespace

Check ReadResponse(std::string_view xml, ResponseDocument* document) {
  // Refused before parsing: xmlsec's initialization makes libxml2 load DTDs by default.
  if (xml.find("<!DOCTYPE") != std::string_view::npos)
    return Refuse(Refusal::kMalformed, "a DOCTYPE is not allowed");
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "response.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      &xmlFreeDoc);
  if (!doc)
    return Refuse(Refusal::kMalformed, "not well-formed XML");
  // No DTD: no entity can expand, and no attribute becomes an ID behind our back.
  if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    return Refuse(Refusal::kMalformed, "a DOCTYPE is not allowed");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !Is(root, kProtocol, "Response"))
    return Refuse(Refusal::kMalformed, "not a samlp:Response");
  document->response_id = Attribute(root, "ID");
  document->destination = Attribute(root, "Destination");
  document->in_response_to = Attribute(root, "InResponseTo");
  if (xmlNode* issuer = Child(root, kAssertion, "Issuer"))
    document->response_issuer = Text(issuer);
  if (Check status = ReadStatus(root); !status.ok())
    return status;

  std::vector<xmlNode*> assertions;
  bool encrypted = false;
  ForEachElement(root, [&](xmlNode* element) {
    if (Is(element, kAssertion, "Assertion"))
      assertions.push_back(element);
    encrypted = encrypted || Is(element, kAssertion, "EncryptedAssertion");
  });
  if (encrypted)
    return Refuse(Refusal::kEncryptedAssertion, "encrypted assertions are not supported");
  if (assertions.size() != 1) {
    return Refuse(assertions.empty() ? Refusal::kMalformed : Refusal::kSignatureWrapping,
                  std::to_string(assertions.size()) + " assertions in the response");
  }
  xmlNode* assertion = assertions.front();
  if (assertion->parent != root)
    return Refuse(Refusal::kSignatureWrapping, "the assertion is not a child of the response");
  if (Check ids = CheckUniqueIds(root); !ids.ok())
    return ids;
  if (Check signatures = CheckSignatures(root, assertion, document); !signatures.ok())
    return signatures;
  if (!document->response_signed && !document->assertion_signed)
    return Refuse(Refusal::kUnsigned, "neither the response nor the assertion is signed");
  if (Check comments = CheckNoComments(assertion); !comments.ok())
    return comments;
  return ReadAssertion(assertion, document);
}

}  // namespace ss::saml::detail
