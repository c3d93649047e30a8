// Well-known types (Timestamp, Duration, wrappers, Any, Struct, Value, ListValue, FieldMask):
// printed by protobuf itself, as the one field of a message made for them, so that they come out
// exactly as they do nested in another message.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <string_view>

namespace ss::gateway {

// The index of `type` among the well-known types, or -1 when it is not one.
int WellKnownIndex(const google::protobuf::Descriptor* type);

// Appends the JSON value of a serialized well-known type (of that index): nothing for a Value of
// no kind. False for bytes that are not one.
bool PrintWellKnown(int index, std::string_view bytes, std::string* json);

}  // namespace ss::gateway
