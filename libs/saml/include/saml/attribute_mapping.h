// Which SAML attributes carry a user's username, email, display name and groups, with presets
// for the identity providers the seed supported (its api/internal/auth/providers.go).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss::saml {

// SAML attribute names (the Attribute's Name, compared exactly). An empty name maps nothing.
struct AttributeMapping {
  std::string username;
  std::string email;
  // One attribute with the whole name; when it is empty or absent the display name is
  // "<given_name> <family_name>".
  std::string display_name;
  std::string given_name;
  std::string family_name;
  // Every value of this attribute is one group.
  std::string groups;
};

// Per-field replacements for a preset; a field left unset keeps the preset's name.
struct AttributeMappingOverrides {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::string> groups;
};

// The preset of "okta", "azuread", "google", "auth0", "keycloak", "authentik" or "generic"
// (case-insensitive). Throws std::invalid_argument for any other name: a configuration error.
AttributeMapping PresetMapping(std::string_view provider);

// The provider names PresetMapping knows, for configuration messages.
const std::vector<std::string>& PresetNames();

AttributeMapping ApplyOverrides(AttributeMapping mapping,
                                const AttributeMappingOverrides& overrides);

using Attributes = std::map<std::string, std::vector<std::string>>;

// What the mapping found in an assertion.
struct MappedUser {
  std::string username;
  std::string email;
  std::string display_name;
  std::vector<std::string> groups;
};

// Applies `mapping` to an assertion's attributes. As in the seed, the NameID stands in for a
// missing username, and for a missing email when its format is emailAddress. Single-valued
// fields take the attribute's first non-empty value.
MappedUser MapAttributes(const AttributeMapping& mapping, const Attributes& attributes,
                         std::string_view name_id, std::string_view name_id_format);

}  // namespace ss::saml
