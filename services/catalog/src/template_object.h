// Template resources and the Template message: the message's canonical JSON is the resource's
// spec, so each direction is one JSON conversion.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

inline constexpr const char* kTemplateApiVersion = "stream.streamspace.io/v1alpha1";

// The spec of a template message (id, status and createdAt are not part of it).
nlohmann::json SpecOf(const streamspace::catalog::v1::Template& template_message);

// The message of a Template resource. Quantities written as numbers become strings; fields the
// message does not know are left out.
streamspace::catalog::v1::Template TemplateFromObject(const nlohmann::json& object);

// A Template resource named `name` in `ns` with `spec` and `labels`.
nlohmann::json TemplateObject(const std::string& ns, const std::string& name,
                              const nlohmann::json& spec,
                              const std::map<std::string, std::string>& labels = {});

}  // namespace ss::catalog
