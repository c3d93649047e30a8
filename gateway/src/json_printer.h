// Serialized protobuf messages → canonical JSON, straight from the wire bytes: the same text as
// protobuf's util::BinaryToJsonString with always_print_primitive_fields (lowerCamelCase names,
// zero values printed, [] and {} for empty repeated fields and maps, unset messages left out),
// several times faster. Well-known types (Timestamp, Struct, wrappers, Any...) are printed by
// protobuf itself, placed where protobuf places them.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <string_view>

namespace ss::gateway {

// Appends the JSON of `bytes`, a serialized `type` (of any pool), to *json. False (with *json
// unspecified) for bytes that are not a `type`.
bool PrintJson(const google::protobuf::Descriptor* type, std::string_view bytes, std::string* json);

}  // namespace ss::gateway
