// One scalar field value as protobuf prints it in JSON, from its wire value (the varint or fixed
// number, or the length-delimited span): 64-bit integers quoted, floats as protobuf writes them
// (NaN and the infinities quoted), bytes in base64, enums by name.
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ss::gateway {

// Appends the JSON value of a scalar field; false for a field that is not a scalar.
bool AppendScalarJson(const google::protobuf::FieldDescriptor* field, std::uint64_t number,
                      std::string_view span, std::string* out);

// Appends a map key as text, unescaped and unquoted; false for a type that cannot be a key.
bool AppendMapKeyText(const google::protobuf::FieldDescriptor* field, std::uint64_t number,
                      std::string_view span, std::string* out);

// Appends the value protobuf prints for an unset singular scalar field.
void AppendDefaultJson(const google::protobuf::FieldDescriptor* field, std::string* out);

}  // namespace ss::gateway
