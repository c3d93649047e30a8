// Kubernetes protobuf request bodies, decoded to JSON for the kinds kubectl's generators create.
#pragma once

#include <optional>
#include <string_view>

#include "json_util.h"

namespace kubeemu {

// Decodes a body sent as application/vnd.kubernetes.protobuf ("k8s\0" + runtime.Unknown) into
// the JSON object it encodes. Known kinds: Namespace, ConfigMap, Secret, ServiceAccount, Pod,
// Service, Deployment, PodDisruptionBudget; nullopt for any other kind or a malformed body.
// Fields the tables do not know are skipped, and empty strings dropped (as JSON omits them).
std::optional<Json> DecodeProtobufObject(std::string_view body);

}  // namespace kubeemu
