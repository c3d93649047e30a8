#include "json_printer.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "protobuf_json_escape.h"
#include "scalar_json.h"
#include "type_plan.h"
#include "well_known_json.h"
#include "wire_reader.h"

namespace ss::gateway {
namespace {

using google::protobuf::FieldDescriptor;

// One field occurrence on the wire: its number's index in the plan, where it was, and its value.
struct Occurrence {
  int field;
  int position;
  int wire_type;
  std::uint64_t number;
  std::string_view span;
};

class Printer {
 public:
  explicit Printer(std::string* out) : out_(out) {}

  bool Message(const TypePlan& plan, std::string_view bytes) {
    if (plan.well_known >= 0)
      return PrintWellKnown(plan.well_known, bytes, out_);
    if (depth_ >= 100)
      return false;
    if (scratch_.size() <= depth_)
      scratch_.resize(depth_ + 1);
    auto& occurrences = scratch_[depth_];
    occurrences.clear();
    if (!Scan(plan, bytes, &occurrences))
      return false;
    const auto by_field = [](const Occurrence& a, const Occurrence& b) {
      return a.field < b.field;
    };
    if (!std::is_sorted(occurrences.begin(), occurrences.end(), by_field))
      std::stable_sort(occurrences.begin(), occurrences.end(), by_field);
    ++depth_;
    const bool ok = Fields(plan, occurrences);
    --depth_;
    return ok;
  }

 private:
  bool Scan(const TypePlan& plan, std::string_view bytes, std::vector<Occurrence>* occurrences) {
    WireReader reader{bytes.data(), bytes.data() + bytes.size()};
    int position = 0;
    while (reader.p < reader.end) {
      std::uint64_t tag;
      if (!reader.Varint(&tag) || tag >> 3 == 0 || tag >> 3 > 0x1fffffff)
        return false;
      const int wire_type = static_cast<int>(tag & 7);
      const int number = static_cast<int>(tag >> 3);
      const int field = plan.IndexOf(number);
      if (field < 0) {
        if (!reader.Skip(wire_type, number))
          return false;
        continue;
      }
      Occurrence occurrence{field, position++, wire_type, 0, {}};
      bool ok;
      switch (wire_type) {
        case kVarint:
          ok = reader.Varint(&occurrence.number);
          break;
        case kFixed64:
          ok = reader.Fixed(8, &occurrence.number);
          break;
        case kFixed32:
          ok = reader.Fixed(4, &occurrence.number);
          break;
        case kLength:
          ok = reader.Length(&occurrence.span);
          break;
        default:
          ok = false;
      }
      if (!ok || !WireTypeFits(plan.fields[static_cast<std::size_t>(field)], wire_type))
        return false;
      occurrences->push_back(occurrence);
    }
    return true;
  }

  static bool WireTypeFits(const FieldPlan& field, int wire_type) {
    const int expected = ScalarWireType(field.type);
    return wire_type == expected || (field.repeated && wire_type == kLength);
  }

  void Separator(bool* first) {
    if (!*first)
      out_->push_back(',');
    *first = false;
  }

  bool Fields(const TypePlan& plan, const std::vector<Occurrence>& occurrences) {
    out_->push_back('{');
    bool first = true;
    // Oneof members and well-known types printed as something else than an object: protobuf
    // prints them after the other fields, in wire order.
    std::vector<std::pair<int, std::string>> after;
    std::size_t next = 0;
    for (std::size_t index = 0; index < plan.fields.size(); ++index) {
      const auto& field = plan.fields[index];
      const std::size_t begin = next;
      while (next < occurrences.size() && occurrences[next].field == static_cast<int>(index)) {
        ++next;
      }
      const std::size_t count = next - begin;
      if (field.map) {
        Separator(&first);
        out_->append(field.key);
        if (!Map(field, &occurrences[begin], count))
          return false;
      } else if (field.repeated) {
        Separator(&first);
        out_->append(field.key);
        out_->push_back('[');
        bool first_value = true;
        for (std::size_t i = begin; i < next; ++i) {
          if (!RepeatedValue(field, occurrences[i], &first_value))
            return false;
        }
        out_->push_back(']');
      } else if (field.type == FieldDescriptor::TYPE_MESSAGE) {
        if (count == 0)
          continue;
        std::string merged;
        std::string_view bytes = occurrences[next - 1].span;
        if (count > 1) {
          for (std::size_t i = begin; i < next; ++i)
            merged.append(occurrences[i].span);
          bytes = merged;
        }
        if (field.message->well_known >= 0) {
          std::string value;
          if (!PrintWellKnown(field.message->well_known, bytes, &value))
            return false;
          if (value.empty())
            continue;
          if (value.front() != '{') {
            after.emplace_back(occurrences[begin].position, field.key + value);
            continue;
          }
          Separator(&first);
          out_->append(field.key).append(value);
          continue;
        }
        Separator(&first);
        out_->append(field.key);
        if (!Message(*field.message, bytes))
          return false;
      } else if (field.in_oneof) {
        if (count == 0)
          continue;
        std::string value = field.key;
        const auto& last = occurrences[next - 1];
        if (!AppendScalarJson(field.field, last.number, last.span, &value))
          return false;
        after.emplace_back(occurrences[begin].position, std::move(value));
      } else {
        Separator(&first);
        out_->append(field.key);
        if (count == 0) {
          AppendDefaultJson(field.field, out_);
        } else if (!AppendScalarJson(field.field, occurrences[next - 1].number,
                                     occurrences[next - 1].span, out_)) {
          return false;
        }
      }
    }
    if (!after.empty()) {
      std::stable_sort(after.begin(), after.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& entry : after) {
        Separator(&first);
        out_->append(entry.second);
      }
    }
    out_->push_back('}');
    return true;
  }

  bool RepeatedValue(const FieldPlan& field, const Occurrence& occurrence, bool* first) {
    if (field.type == FieldDescriptor::TYPE_MESSAGE) {
      if (field.message->well_known >= 0) {
        std::string value;
        if (!PrintWellKnown(field.message->well_known, occurrence.span, &value))
          return false;
        if (!value.empty()) {
          Separator(first);
          out_->append(value);
        }
        return true;
      }
      Separator(first);
      return Message(*field.message, occurrence.span);
    }
    const int expected = ScalarWireType(field.type);
    if (occurrence.wire_type == expected) {
      Separator(first);
      return AppendScalarJson(field.field, occurrence.number, occurrence.span, out_);
    }
    // Packed.
    WireReader reader{occurrence.span.data(), occurrence.span.data() + occurrence.span.size()};
    while (reader.p < reader.end) {
      Occurrence element{occurrence.field, 0, expected, 0, {}};
      const bool ok = expected == kVarint    ? reader.Varint(&element.number)
                      : expected == kFixed64 ? reader.Fixed(8, &element.number)
                                             : reader.Fixed(4, &element.number);
      if (!ok)
        return false;
      Separator(first);
      if (!AppendScalarJson(field.field, element.number, element.span, out_))
        return false;
    }
    return true;
  }

  // protobuf reads each entry's key then prints "<key>":<value> at the value: an entry without a
  // value prints nothing.
  bool Map(const FieldPlan& field, const Occurrence* entries, std::size_t count) {
    out_->push_back('{');
    bool first = true;
    const auto& entry_plan = *field.message;
    const FieldPlan* key_field = nullptr;
    const FieldPlan* value_field = nullptr;
    for (const auto& entry_field : entry_plan.fields) {
      (entry_field.field->number() == 1 ? key_field : value_field) = &entry_field;
    }
    std::string key;
    for (std::size_t i = 0; i < count; ++i) {
      WireReader reader{entries[i].span.data(), entries[i].span.data() + entries[i].span.size()};
      key.clear();
      while (reader.p < reader.end) {
        std::uint64_t tag;
        if (!reader.Varint(&tag))
          return false;
        const int wire_type = static_cast<int>(tag & 7);
        const int number = static_cast<int>(tag >> 3);
        const FieldPlan* entry_field = number == 1   ? key_field
                                       : number == 2 ? value_field
                                                     : nullptr;
        if (entry_field == nullptr) {
          if (!reader.Skip(wire_type, number))
            return false;
          continue;
        }
        Occurrence occurrence{0, 0, wire_type, 0, {}};
        const bool ok = wire_type == kVarint    ? reader.Varint(&occurrence.number)
                        : wire_type == kFixed64 ? reader.Fixed(8, &occurrence.number)
                        : wire_type == kFixed32 ? reader.Fixed(4, &occurrence.number)
                        : wire_type == kLength  ? reader.Length(&occurrence.span)
                                                : false;
        if (!ok || wire_type != ScalarWireType(entry_field->type))
          return false;
        if (number == 1) {
          key.clear();
          if (!AppendMapKeyText(entry_field->field, occurrence.number, occurrence.span, &key))
            return false;
          continue;
        }
        std::string well_known;
        if (entry_field->type == FieldDescriptor::TYPE_MESSAGE &&
            entry_field->message->well_known >= 0) {
          if (!PrintWellKnown(entry_field->message->well_known, occurrence.span, &well_known))
            return false;
          if (well_known.empty())
            continue;
        }
        Separator(&first);
        AppendJsonStringDroppingInvalidUtf8(key, out_);
        out_->push_back(':');
        if (!well_known.empty()) {
          out_->append(well_known);
        } else if (entry_field->type == FieldDescriptor::TYPE_MESSAGE) {
          if (!Message(*entry_field->message, occurrence.span))
            return false;
        } else if (!AppendScalarJson(entry_field->field, occurrence.number, occurrence.span,
                                     out_)) {
          return false;
        }
      }
    }
    out_->push_back('}');
    return true;
  }

  std::string* out_;
  std::size_t depth_ = 0;
  // One list per depth; a deque, as a deeper level must not move the lists of those above.
  std::deque<std::vector<Occurrence>> scratch_;
};

}  // namespace

bool PrintJson(const google::protobuf::Descriptor* type, std::string_view bytes,
               std::string* json) {
  const auto* plan = PlanFor(type);
  json->reserve(json->size() + bytes.size() * 2 + 64);
  Printer printer(json);
  return printer.Message(*plan, bytes);
}

}  // namespace ss::gateway
