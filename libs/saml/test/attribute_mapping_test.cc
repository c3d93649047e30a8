#include "saml/attribute_mapping.h"

#include <catch2/catch.hpp>
#include <stdexcept>

namespace ss::saml {
namespace {

constexpr const char* kEmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

TEST_CASE("presets follow the seed's providers", "[saml]") {
  CHECK(PresetMapping("azuread").groups ==
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups");
  CHECK(PresetMapping("Okta").email ==
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress");
  CHECK(PresetMapping("google").username == "email");
  CHECK(PresetMapping("keycloak").username == "username");
  CHECK(PresetMapping("authentik").display_name ==
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name");
  CHECK(PresetNames().size() == 7);
  CHECK_THROWS_AS(PresetMapping("onelogin"), std::invalid_argument);
}

TEST_CASE("overrides replace only the fields they set", "[saml]") {
  AttributeMappingOverrides overrides;
  overrides.groups = "memberOf";
  const AttributeMapping mapping = ApplyOverrides(PresetMapping("keycloak"), overrides);
  CHECK(mapping.groups == "memberOf");
  CHECK(mapping.email == "email");
}

TEST_CASE("mapping reads attributes and falls back to the NameID", "[saml]") {
  const AttributeMapping mapping = PresetMapping("generic");
  Attributes attributes{{"username", {"", "alice"}},
                        {"firstName", {"Alice"}},
                        {"lastName", {"Liddell"}},
                        {"groups", {"eng", "", "ops"}}};
  MappedUser user = MapAttributes(mapping, attributes, "alice@example.com", kEmailFormat);
  CHECK(user.username == "alice");
  CHECK(user.email == "alice@example.com");
  CHECK(user.display_name == "Alice Liddell");
  CHECK(user.groups == std::vector<std::string>{"eng", "ops"});

  user = MapAttributes(mapping, {}, "bob", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
  CHECK(user.username == "bob");
  CHECK(user.email.empty());
  CHECK(user.display_name.empty());
  CHECK(user.groups.empty());
}

}  // namespace
}  // namespace ss::saml
