// Fields named by dotted paths ("outer.inner.id", proto or JSON names), and their values set from
// text, as path variables and query parameters carry them.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>
#include <vector>

namespace ss::gateway {

using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

// Resolves the names against `type`: every field but the last is a singular message, the last is
// a scalar, a string, bytes, an enum or a wrapper type (google.protobuf.*Value), repeated or not,
// and no field is a map. False otherwise.
bool ResolveFieldPath(const google::protobuf::Descriptor* type,
                      const std::vector<std::string>& names, FieldPath* path);
bool ResolveFieldPath(const google::protobuf::Descriptor* type, std::string_view dotted,
                      FieldPath* path);

// The dotted proto names of a path ("outer.inner.id").
std::string FieldPathName(const FieldPath& path);

// Sets the last field of the path in `root` from text (appends when it is repeated): integers in
// range, "true"/"false", enum names or numbers, bytes as base64. INVALID_ARGUMENT, naming `what`,
// when the text is not a value of the field's type.
grpc::Status SetFieldFromText(google::protobuf::Message* root, const FieldPath& path,
                              std::string_view text, std::string_view what);

}  // namespace ss::gateway
