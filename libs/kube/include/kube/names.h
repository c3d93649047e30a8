// Kubernetes' rules for object names (apimachinery's IsDNS1123Label and IsDNS1123Subdomain), so
// that a name is refused with a clear message before it reaches the API server.
#pragma once

#include <string_view>

namespace ss::kube {

// An RFC 1123 label (namespaces, Services, most label-like names): 1-63 characters of
// [a-z0-9-], starting and ending with [a-z0-9].
bool IsDnsLabel(std::string_view text);

// An RFC 1123 subdomain (most object names: pods, nodes, custom resources): at most 253
// characters of dot-separated labels of [a-z0-9-], each starting and ending with [a-z0-9]. As in
// Kubernetes, and unlike RFC 1123, one label of a subdomain may be longer than 63 characters.
bool IsDnsSubdomain(std::string_view text);

}  // namespace ss::kube
