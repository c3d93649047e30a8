// Kubernetes' own syntax rules for what admins send: node names, label keys and values, taint
// effects, and the label prefixes Kubernetes keeps for itself. Each check answers
// INVALID_ARGUMENT with a message naming the field, or OK.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <string_view>

#include "rpc/validation.h"

namespace ss::nodes {

// A label name or value body: at most 63 characters of [A-Za-z0-9._-], starting and ending with
// an alphanumeric (an empty value is allowed by the caller, not here).
bool IsQualifiedName(std::string_view text);

grpc::Status CheckNodeName(std::string_view name);
grpc::Status CheckNamespaceAndPod(std::string_view ns, std::string_view pod);
// [prefix/]name with prefix a DNS subdomain and name a qualified name; `field` names it in the
// message ("key").
grpc::Status CheckLabelKey(std::string_view key, std::string_view field = "key");
// Empty, or a qualified name.
grpc::Status CheckLabelValue(std::string_view value);
grpc::Status CheckTaintEffect(std::string_view effect);
// Keys Kubernetes manages: prefixes kubernetes.io and k8s.io and their subdomains
// (node.kubernetes.io/..., node-role.kubernetes.io/...).
bool IsProtectedKey(std::string_view key);
// CheckLabelKey, then refuses protected keys.
grpc::Status CheckWritableKey(std::string_view key);

// A label or taint key as a multi-segment path variable binds it: a slash sent as is arrives as
// is, one sent as %2F stays encoded (google.api.http keeps reserved characters of such
// variables). No key may hold '%', so every %2F is a slash.
std::string KeyFromPath(std::string_view key);

// Page tokens (rpc/page_token.h) carry the last node name of the previous page.
std::string EncodePageToken(std::string_view last_name);
bool DecodePageToken(std::string_view token, std::string* last_name);

}  // namespace ss::nodes
