// The protobuf wire format, read in place: varints, fixed-width numbers and length-delimited spans,
// each read false when the bytes are cut short or malformed. Inline, as the printer reads every
// field through it.
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ss::gateway {

enum WireType { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

struct WireReader {
  const char* p;
  const char* end;

  bool Varint(std::uint64_t* value) {
    std::uint64_t result = 0;
    for (int shift = 0; shift < 64 && p < end; shift += 7) {
      const auto byte = static_cast<unsigned char>(*p++);
      result |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool Fixed(int bytes, std::uint64_t* value) {
    if (end - p < bytes)
      return false;
    std::uint64_t result = 0;
    std::memcpy(&result, p, static_cast<std::size_t>(bytes));
    p += bytes;
    *value = result;
    return true;
  }
  bool Length(std::string_view* value) {
    std::uint64_t size;
    if (!Varint(&size) || size > static_cast<std::uint64_t>(end - p))
      return false;
    *value = std::string_view(p, static_cast<std::size_t>(size));
    p += size;
    return true;
  }
  // Skips a field of an unknown number; false when malformed.
  bool Skip(int wire_type, int number) {
    std::uint64_t ignored;
    std::string_view span;
    switch (wire_type) {
      case kVarint:
        return Varint(&ignored);
      case kFixed64:
        return Fixed(8, &ignored);
      case kLength:
        return Length(&span);
      case kFixed32:
        return Fixed(4, &ignored);
      case 3:  // a group: skip to its end tag
        while (p < end) {
          std::uint64_t tag;
          if (!Varint(&tag))
            return false;
          const int type = static_cast<int>(tag & 7);
          const int inner = static_cast<int>(tag >> 3);
          if (type == 4)
            return inner == number;
          if (!Skip(type, inner))
            return false;
        }
        return false;
      default:
        return false;
    }
  }
};

// The wire type of a field of this type, unpacked.
inline int ScalarWireType(google::protobuf::FieldDescriptor::Type type) {
  using google::protobuf::FieldDescriptor;
  switch (type) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      return kLength;
    default:
      return kVarint;
  }
}

}  // namespace ss::gateway
