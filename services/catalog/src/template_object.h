// Template resources and the Template message: the message's canonical JSON is the resource's
// spec but for `defaultResources`, flat in the message ({cpu, memory}) and a ResourceRequirements
// in the resource, so each direction is one JSON conversion and that one mapping.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

inline constexpr const char* kTemplateApiVersion = "stream.streamspace.io/v1alpha1";

// The spec of a template message (name, namespace, status and createdAt are not part of it).
nlohmann::json SpecOf(const streamspace::catalog::v1::Template& template_message);

// Sets each quantity given in the flat `resources` as both the request and the limit of a spec's
// `defaultResources` (a flat value means both everywhere in StreamSpace, so a request never
// exceeds its limit); the other quantities stay.
void ApplyFlatResources(const streamspace::catalog::v1::TemplateResources& resources,
                        nlohmann::json& spec);

// The message of a Template resource. Quantities written as numbers become strings; fields the
// message does not know are left out.
streamspace::catalog::v1::Template TemplateFromObject(const nlohmann::json& object);

// A Template resource named `name` in `ns` with `spec` and `labels`.
nlohmann::json TemplateObject(const std::string& ns, const std::string& name,
                              const nlohmann::json& spec,
                              const std::map<std::string, std::string>& labels = {});

}  // namespace ss::catalog
