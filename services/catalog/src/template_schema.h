// The Template CRD's spec schema (helm/streamspace/crds/templates.yaml) checked in process, so
// that every write is refused with a clear message before it reaches the cluster, and catalog
// manifests written for older schemas are brought to it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ss::catalog {

// Checks `spec` against the Template schema: required fields, types, enums. Fields the schema
// does not know are pruned, as the API server prunes them. Returns the first problem, as
// "spec.ports[1].containerPort: must be an integer".
std::optional<std::string> CheckTemplateSpec(nlohmann::json& spec);

// Brings a catalog manifest's spec to the schema: `kasmvnc` becomes `vnc`, a flat
// `defaultResources` {cpu, memory} becomes the same `requests` and `limits`, and numeric
// quantities become strings.
void NormalizeCatalogSpec(nlohmann::json& spec);

}  // namespace ss::catalog
