#include "saml/attribute_mapping.h"

#include <stdexcept>
#include <utility>

#include "core/text.h"

namespace ss::saml {
namespace {

constexpr std::string_view kClaims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

std::string Claim(std::string_view name) {
  return std::string(kClaims) + std::string(name);
}

// The seed's presets (providers.go at 62da6a7). Its FirstName/LastName become given and family
// names; authentik sends the whole name in one claim, so that claim is its display name.
const std::map<std::string, AttributeMapping, std::less<>>& Presets() {
  static const auto* presets = new std::map<std::string, AttributeMapping, std::less<>>{
      {"okta",
       {Claim("name"), Claim("emailaddress"), "", Claim("givenname"), Claim("surname"), "groups"}},
      {"azuread",
       {Claim("name"), Claim("emailaddress"), "", Claim("givenname"), Claim("surname"),
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"}},
      {"google", {"email", "email", "", "firstName", "lastName", "groups"}},
      {"auth0",
       {Claim("name"), Claim("emailaddress"), "", Claim("givenname"), Claim("surname"), "groups"}},
      {"keycloak", {"username", "email", "", "firstName", "lastName", "groups"}},
      {"authentik",
       {"http://schemas.goauthentik.io/2021/02/saml/username", Claim("emailaddress"), Claim("name"),
        "", "", "http://schemas.xmlsoap.org/claims/Group"}},
      {"generic", {"username", "email", "", "firstName", "lastName", "groups"}},
  };
  return *presets;
}

// The first non-empty value of `name`, or "".
std::string First(const Attributes& attributes, const std::string& name) {
  if (name.empty())
    return "";
  const auto found = attributes.find(name);
  if (found == attributes.end())
    return "";
  for (const auto& value : found->second) {
    if (!value.empty())
      return value;
  }
  return "";
}

}  // namespace

AttributeMapping PresetMapping(std::string_view provider) {
  const auto found = Presets().find(core::AsciiLower(provider));
  if (found == Presets().end()) {
    throw std::invalid_argument("unknown SAML provider preset \"" + std::string(provider) +
                                "\" (okta, azuread, google, auth0, keycloak, authentik, generic)");
  }
  return found->second;
}

const std::vector<std::string>& PresetNames() {
  static const auto* names = [] {
    auto* list = new std::vector<std::string>;
    for (const auto& [name, mapping] : Presets())
      list->push_back(name);
    return list;
  }();
  return *names;
}

AttributeMapping ApplyOverrides(AttributeMapping mapping,
                                const AttributeMappingOverrides& overrides) {
  const auto apply = [](std::string& field, const std::optional<std::string>& value) {
    if (value)
      field = *value;
  };
  apply(mapping.username, overrides.username);
  apply(mapping.email, overrides.email);
  apply(mapping.display_name, overrides.display_name);
  apply(mapping.given_name, overrides.given_name);
  apply(mapping.family_name, overrides.family_name);
  apply(mapping.groups, overrides.groups);
  return mapping;
}

MappedUser MapAttributes(const AttributeMapping& mapping, const Attributes& attributes,
                         std::string_view name_id, std::string_view name_id_format) {
  MappedUser user;
  user.username = First(attributes, mapping.username);
  if (user.username.empty())
    user.username = name_id;
  user.email = First(attributes, mapping.email);
  if (user.email.empty() &&
      name_id_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress") {
    user.email = name_id;
  }
  user.display_name = First(attributes, mapping.display_name);
  if (user.display_name.empty()) {
    const std::string given = First(attributes, mapping.given_name);
    const std::string family = First(attributes, mapping.family_name);
    user.display_name = given.empty() || family.empty() ? given + family : given + " " + family;
  }
  if (!mapping.groups.empty()) {
    if (const auto found = attributes.find(mapping.groups); found != attributes.end()) {
      for (const auto& group : found->second) {
        if (!group.empty())
          user.groups.push_back(group);
      }
    }
  }
  return user;
}

}  // namespace ss::saml
