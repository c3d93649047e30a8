// The OpenAPI 3.0 document of the gateway, generated at start-up from the same descriptors as the
// route table, and served as a cached string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "endpoint.h"

namespace ss::gateway {

// Every endpoint plus /health, /version and /openapi.json. Field names are the JSON names
// (lowerCamelCase); routes that need no token say `security: []`.
std::string BuildOpenApi(const std::vector<const Endpoint*>& endpoints, std::string_view version);

}  // namespace ss::gateway
