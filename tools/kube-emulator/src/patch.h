// The three patch formats of the Kubernetes API.
#pragma once

#include <optional>
#include <string>

#include "json_util.h"

namespace kubeemu {

// Applies an RFC 7386 JSON merge patch.
Json ApplyMergePatch(Json target, const Json& patch);

// Applies an RFC 6902 JSON patch; nullopt with `error` set when an operation fails.
std::optional<Json> ApplyJsonPatch(const Json& target, const Json& patch, std::string& error);

// Applies a strategic merge patch with the built-in types' merge keys (containers by name, ...),
// honouring the `$patch`, `$setElementOrder` and `$deleteFromPrimitiveList` directives.
Json ApplyStrategicMergePatch(Json target, const Json& patch);

}  // namespace kubeemu
