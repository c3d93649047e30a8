// OpenAPI v3 documents, enough for kubectl to find the server's field validation support.
#pragma once

#include <string>

#include "json_util.h"
#include "resource_registry.h"

namespace kubeemu {

// The /openapi/v3 index: each group version's document path with a content hash.
Json OpenApiIndex(const ResourceRegistry& registry);

// The document of one group version ("api/v1", "apis/apps/v1"), or null when not served.
Json OpenApiDocument(const ResourceRegistry& registry, const std::string& group_version_path);

}  // namespace kubeemu
