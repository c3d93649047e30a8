// Printing plans, one per message type, made once: each field's JSON key and kind, and a lookup
// from field number to field.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace ss::gateway {

struct TypePlan;

struct FieldPlan {
  const google::protobuf::FieldDescriptor* field;
  // "\"<json name>\":"
  std::string key;
  google::protobuf::FieldDescriptor::Type type;
  bool repeated;
  bool map;
  // In a oneof (proto3 optional included): printed only when set, after the other fields.
  bool in_oneof;
  // Message fields (and map entries): the message's plan.
  const TypePlan* message = nullptr;
};

struct TypePlan {
  const google::protobuf::Descriptor* type;
  // Index among the well-known types (WellKnownIndex), or -1.
  int well_known;
  // Declaration order, the order protobuf prints fields in.
  std::vector<FieldPlan> fields;
  // Field number → index + 1 into fields (0: unknown), for the small numbers;
  // the others are in by_large_number.
  std::vector<int> by_number;
  std::unordered_map<int, int> by_large_number;

  // The index into fields of the field of this number, or -1 when there is none.
  int IndexOf(int number) const {
    if (number < static_cast<int>(by_number.size()))
      return by_number[static_cast<std::size_t>(number)] - 1;
    const auto found = by_large_number.find(number);
    return found == by_large_number.end() ? -1 : found->second;
  }
};

// The plan of `type` and of the message types it holds, made on first use; never freed.
const TypePlan* PlanFor(const google::protobuf::Descriptor* type);

}  // namespace ss::gateway
