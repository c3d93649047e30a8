// API discovery: legacy (/api, /apis, per group version) and aggregated (apidiscovery.k8s.io/v2).
#pragma once

#include <string>

#include "json_util.h"
#include "resource_registry.h"

namespace kubeemu {

// The media type of an aggregated discovery answer.
inline constexpr const char* kAggregatedDiscoveryType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

Json VersionInfo();
Json LegacyCoreVersions();
Json LegacyGroupList(const ResourceRegistry& registry);
// The APIResourceList of a group version, or null when it is not served.
Json ResourceList(const ResourceRegistry& registry, const std::string& group,
                  const std::string& version);
// APIGroupDiscoveryList for /api (core only) or /apis (every other group).
Json AggregatedDiscovery(const ResourceRegistry& registry, bool core);

}  // namespace kubeemu
