// Field tables of the Kubernetes protobuf messages that kubectl's generators send.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kubeemu {

// How a field's value is encoded.
enum class FieldKind {
  kString,
  kInt,
  kBool,
  kMessage,
  kStringMap,
  kBytesMap,
  kQuantityMap,
  kTime,
  kIntOrString
};

// One field of a message: its number, JSON name and encoding.
struct ProtoField {
  int number;
  const char* name;
  FieldKind kind;
  const char* message = "";
  bool repeated = false;
};

using ProtoSchema = std::map<std::string, std::vector<ProtoField>>;

// Messages by name. Field numbers follow the Kubernetes API's generated.proto files
// (k8s.io/api, k8s.io/apimachinery); fields not listed are skipped when decoding.
const ProtoSchema& Messages();

}  // namespace kubeemu
