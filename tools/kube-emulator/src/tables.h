// Table responses (meta.k8s.io/v1 Table) with each kind's printer columns.
#pragma once

#include <string>
#include <vector>

#include "json_util.h"
#include "resource_registry.h"

namespace kubeemu {

// Renders objects as a Table, rows carrying PartialObjectMetadata as a real server's do.
Json ToTable(const ResourceType& type, const std::vector<const Json*>& objects,
             const Json& list_metadata);

// Evaluates a printer-column JSONPath such as ".status.phase" or ".spec.ports[0].port".
Json EvalJsonPath(const Json& object, const std::string& path);

}  // namespace kubeemu
