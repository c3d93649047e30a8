#include "json_printer.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
using pb::FieldDescriptor;

// ---------------------------------------------------------------------------------------------
// Well-known types: printed by protobuf as the one field of a message made for them, so that they
// come out exactly as they do nested in another message.

constexpr std::array<const char*, 16> kWellKnownTypes = {
    "google.protobuf.Timestamp",   "google.protobuf.Duration",    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",  "google.protobuf.Int64Value",  "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",  "google.protobuf.UInt32Value", "google.protobuf.BoolValue",
    "google.protobuf.StringValue", "google.protobuf.BytesValue",  "google.protobuf.Any",
    "google.protobuf.Struct",      "google.protobuf.Value",       "google.protobuf.ListValue",
    "google.protobuf.FieldMask"};

int WellKnownIndex(const pb::Descriptor* type) {
  for (std::size_t i = 0; i < kWellKnownTypes.size(); ++i) {
    if (type->full_name() == kWellKnownTypes[i])
      return static_cast<int>(i);
  }
  return -1;
}

// A pool of its own holds the message, over the generated pool (the well-known types are the same
// in every pool; the types packed in an Any are looked up among the linked ones).
class WellKnownPrinter {
 public:
  WellKnownPrinter() {
    pb::FileDescriptorProto file;
    file.set_name("ss/gateway/json_printer_holder.proto");
    file.set_package("ss.gateway");
    file.set_syntax("proto3");
    for (const char* dependency :
         {"google/protobuf/timestamp.proto", "google/protobuf/duration.proto",
          "google/protobuf/wrappers.proto", "google/protobuf/any.proto",
          "google/protobuf/struct.proto", "google/protobuf/field_mask.proto"}) {
      file.add_dependency(dependency);
    }
    auto* holder = file.add_message_type();
    holder->set_name("Holder");
    for (std::size_t i = 0; i < kWellKnownTypes.size(); ++i) {
      auto* field = holder->add_field();
      field->set_name("v" + std::to_string(i + 1));
      field->set_number(static_cast<int>(i + 1));
      field->set_label(pb::FieldDescriptorProto::LABEL_OPTIONAL);
      field->set_type(pb::FieldDescriptorProto::TYPE_MESSAGE);
      field->set_type_name(std::string(".") + kWellKnownTypes[i]);
    }
    holder_database_.Add(file);
    resolver_.reset(pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", &pool_));
    options_.always_print_primitive_fields = true;
  }

  // Appends the JSON value of a serialized well-known type (index into kWellKnownTypes): nothing
  // for a Value of no kind.
  bool Print(int index, std::string_view bytes, std::string* json) const {
    std::string holder;
    holder.reserve(bytes.size() + 12);
    AppendVarint(static_cast<std::uint64_t>(index + 1) << 3 | 2, &holder);
    AppendVarint(bytes.size(), &holder);
    holder.append(bytes);
    std::string out;
    if (!pb::util::BinaryToJsonString(resolver_.get(), "type.googleapis.com/ss.gateway.Holder",
                                      holder, &out, options_)
             .ok()) {
      return false;
    }
    // {"vN":<value>}, or {} for a Value of no kind, which protobuf leaves out.
    if (out == "{}")
      return true;
    const auto start = out.find(':');
    if (start == std::string::npos || out.size() < start + 2)
      return false;
    json->append(out, start + 1, out.size() - start - 2);
    return true;
  }

 private:
  static void AppendVarint(std::uint64_t value, std::string* out) {
    while (value >= 0x80) {
      out->push_back(static_cast<char>(value | 0x80));
      value >>= 7;
    }
    out->push_back(static_cast<char>(value));
  }

  pb::SimpleDescriptorDatabase holder_database_;
  pb::DescriptorPoolDatabase generated_database_{*pb::DescriptorPool::generated_pool()};
  pb::MergedDescriptorDatabase database_{&holder_database_, &generated_database_};
  pb::DescriptorPool pool_{&database_};
  std::unique_ptr<pb::util::TypeResolver> resolver_;
  pb::util::JsonPrintOptions options_;
};

const WellKnownPrinter& WellKnown() {
  static const WellKnownPrinter printer;
  return printer;
}

// ---------------------------------------------------------------------------------------------
// Printing plans, one per message type, made once.

struct TypePlan;

struct FieldPlan {
  const FieldDescriptor* field;
  // "\"<json name>\":"
  std::string key;
  FieldDescriptor::Type type;
  bool repeated;
  bool map;
  // In a oneof (proto3 optional included): printed only when set, after the other fields.
  bool in_oneof;
  // Message fields (and map entries): the message's plan.
  const TypePlan* message = nullptr;
};

struct TypePlan {
  const pb::Descriptor* type;
  // Index into kWellKnownTypes, or -1.
  int well_known;
  // Declaration order, the order protobuf prints fields in.
  std::vector<FieldPlan> fields;
  // Field number → index + 1 into fields (0: unknown), for numbers below kDirectNumbers.
  std::vector<int> by_number;
  std::unordered_map<int, int> by_large_number;

  int IndexOf(int number) const {
    if (number < static_cast<int>(by_number.size()))
      return by_number[static_cast<std::size_t>(number)] - 1;
    const auto found = by_large_number.find(number);
    return found == by_large_number.end() ? -1 : found->second;
  }
};

constexpr int kDirectNumbers = 256;

std::mutex plans_mutex;
std::unordered_map<const pb::Descriptor*, std::unique_ptr<TypePlan>> plans;

void AppendEscaped(std::string_view text, std::string* out);

const TypePlan* PlanLocked(const pb::Descriptor* type) {
  auto& slot = plans[type];
  if (slot)
    return slot.get();
  slot = std::make_unique<TypePlan>();
  auto* plan = slot.get();
  plan->type = type;
  plan->well_known = WellKnownIndex(type);
  if (plan->well_known >= 0)
    return plan;
  plan->fields.reserve(static_cast<std::size_t>(type->field_count()));
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    FieldPlan field_plan;
    field_plan.field = field;
    field_plan.key = "\"";
    AppendEscaped(field->json_name(), &field_plan.key);
    field_plan.key += "\":";
    field_plan.type = field->type();
    field_plan.repeated = field->is_repeated();
    field_plan.map = field->is_map();
    field_plan.in_oneof = field->containing_oneof() != nullptr;
    plan->fields.push_back(std::move(field_plan));
    if (field->number() < kDirectNumbers) {
      if (plan->by_number.size() <= static_cast<std::size_t>(field->number()))
        plan->by_number.resize(static_cast<std::size_t>(field->number()) + 1);
      plan->by_number[static_cast<std::size_t>(field->number())] = i + 1;
    } else {
      plan->by_large_number[field->number()] = i;
    }
  }
  for (auto& field_plan : plan->fields) {
    if (field_plan.type == FieldDescriptor::TYPE_MESSAGE)
      field_plan.message = PlanLocked(field_plan.field->message_type());
  }
  return plan;
}

const TypePlan* PlanFor(const pb::Descriptor* type) {
  std::lock_guard<std::mutex> lock(plans_mutex);
  return PlanLocked(type);
}

// ---------------------------------------------------------------------------------------------
// JSON text, as protobuf's JsonObjectWriter writes it.

constexpr char kHex[] = "0123456789abcdef";

void AppendHex4(std::uint32_t unit, std::string* out) {
  char buffer[6] = {'\\',
                    'u',
                    kHex[(unit >> 12) & 0xf],
                    kHex[(unit >> 8) & 0xf],
                    kHex[(unit >> 4) & 0xf],
                    kHex[unit & 0xf]};
  out->append(buffer, sizeof buffer);
}

// Whether protobuf writes code point `cp` as \u escapes (besides \" \\ \b \t \n \f \r).
bool NeedsHexEscape(std::uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == '<' || cp == '>')
    return true;
  switch (cp) {
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5:
      return true;
    default:
      break;
  }
  return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
         (cp >= 0xe0020 && cp <= 0xe007f);
}

void AppendEscapedCodePoint(std::uint32_t cp, std::string* out) {
  switch (cp) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\r':
      out->append("\\r");
      return;
    default:
      break;
  }
  if (cp < 0x10000) {
    AppendHex4(cp, out);
  } else {
    AppendHex4(((cp - 0x10000) >> 10) + 0xd800, out);
    AppendHex4(((cp - 0x10000) & 0x3ff) + 0xdc00, out);
  }
}

// protobuf's JsonEscaping::Escape: invalid UTF-8 sequences are dropped.
void AppendEscaped(std::string_view text, std::string* out) {
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t plain = 0;  // start of the run not yet copied
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = data[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>') {
      ++i;
      continue;
    }
    out->append(text.data() + plain, i - plain);
    std::uint32_t cp = c;
    std::size_t read = 1;
    int left = 0;
    bool ok = true;
    if (c < 0x80) {
    } else if (c <= 0xbf) {
      ok = false;
    } else if (c <= 0xdf) {
      cp &= 0x1f;
      left = 1;
    } else if (c <= 0xef) {
      cp &= 0x0f;
      left = 2;
    } else if (c <= 0xf7) {
      cp &= 0x07;
      left = 3;
    } else {
      ok = false;
    }
    while (ok && left > 0 && i + read < size) {
      const unsigned char next = data[i + read];
      --left;
      ++read;
      cp = (cp << 6) | (next & 0x3f);
      if (next < 0x80 || next > 0xbf)
        ok = false;
    }
    if (ok && left > 0) {
      // Cut short by the end of the text: dropped.
      plain = i = size;
      break;
    }
    if (ok && ((cp & 0xfffff800) == 0xd800 || cp > 0x10ffff))
      ok = false;
    if (!ok) {
      i += read;
      plain = i;
      continue;
    }
    if (cp == '"' || cp == '\\' || NeedsHexEscape(cp)) {
      AppendEscapedCodePoint(cp, out);
      i += read;
      plain = i;
    } else {
      // A multi-byte code point that needs no escape: keep it in the plain run.
      out->append(text.data() + i, read);
      i += read;
      plain = i;
    }
  }
  out->append(text.data() + plain, i - plain);
}

void AppendString(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendEscaped(text, out);
  out->push_back('"');
}

template <typename Int>
void AppendInt(Int value, std::string* out) {
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* p = end;
  using Unsigned = std::make_unsigned_t<Int>;
  Unsigned magnitude = static_cast<Unsigned>(value);
  const bool negative = value < 0;
  if (negative)
    magnitude = static_cast<Unsigned>(0) - magnitude;
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative)
    *--p = '-';
  out->append(p, static_cast<std::size_t>(end - p));
}

template <typename Float>
void AppendFloating(Float value, std::string* out) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else if constexpr (std::is_same_v<Float, float>) {
    out->append(pb::SimpleFtoa(value));
  } else {
    out->append(pb::SimpleDtoa(value));
  }
}

// ---------------------------------------------------------------------------------------------
// The wire format.

enum WireType { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

struct Reader {
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
      return WellKnown().Print(plan.well_known, bytes, out_);
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
    Reader reader{bytes.data(), bytes.data() + bytes.size()};
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

  static int ScalarWireType(FieldDescriptor::Type type) {
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
          if (!WellKnown().Print(field.message->well_known, bytes, &value))
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
        std::swap(value, *out_);
        const bool ok = Scalar(field.field, occurrences[next - 1]);
        std::swap(value, *out_);
        if (!ok)
          return false;
        after.emplace_back(occurrences[begin].position, std::move(value));
      } else {
        Separator(&first);
        out_->append(field.key);
        if (count == 0) {
          Default(field.field);
        } else if (!Scalar(field.field, occurrences[next - 1])) {
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
        if (!WellKnown().Print(field.message->well_known, occurrence.span, &value))
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
      return Scalar(field.field, occurrence);
    }
    // Packed.
    Reader reader{occurrence.span.data(), occurrence.span.data() + occurrence.span.size()};
    while (reader.p < reader.end) {
      Occurrence element{occurrence.field, 0, expected, 0, {}};
      const bool ok = expected == kVarint    ? reader.Varint(&element.number)
                      : expected == kFixed64 ? reader.Fixed(8, &element.number)
                                             : reader.Fixed(4, &element.number);
      if (!ok)
        return false;
      Separator(first);
      if (!Scalar(field.field, element))
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
      Reader reader{entries[i].span.data(), entries[i].span.data() + entries[i].span.size()};
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
          std::swap(key, *out_);
          const bool key_ok = MapKey(entry_field->field, occurrence);
          std::swap(key, *out_);
          if (!key_ok)
            return false;
          continue;
        }
        std::string well_known;
        if (entry_field->type == FieldDescriptor::TYPE_MESSAGE &&
            entry_field->message->well_known >= 0) {
          if (!WellKnown().Print(entry_field->message->well_known, occurrence.span, &well_known))
            return false;
          if (well_known.empty())
            continue;
        }
        Separator(&first);
        AppendString(key, out_);
        out_->push_back(':');
        if (!well_known.empty()) {
          out_->append(well_known);
        } else if (entry_field->type == FieldDescriptor::TYPE_MESSAGE) {
          if (!Message(*entry_field->message, occurrence.span))
            return false;
        } else if (!Scalar(entry_field->field, occurrence)) {
          return false;
        }
      }
    }
    out_->push_back('}');
    return true;
  }

  // The key as text, unescaped.
  bool MapKey(const FieldDescriptor* field, const Occurrence& occurrence) {
    const auto n = occurrence.number;
    switch (field->type()) {
      case FieldDescriptor::TYPE_STRING:
        out_->append(occurrence.span);
        return true;
      case FieldDescriptor::TYPE_BOOL:
        out_->append(n != 0 ? "true" : "false");
        return true;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SFIXED32:
        AppendInt(static_cast<std::int32_t>(n), out_);
        return true;
      case FieldDescriptor::TYPE_SINT32:
        AppendInt(static_cast<std::int32_t>((static_cast<std::uint32_t>(n) >> 1) ^
                                            (~(static_cast<std::uint32_t>(n) & 1) + 1)),
                  out_);
        return true;
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        AppendInt(static_cast<std::uint32_t>(n), out_);
        return true;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SFIXED64:
        AppendInt(static_cast<std::int64_t>(n), out_);
        return true;
      case FieldDescriptor::TYPE_SINT64:
        AppendInt(static_cast<std::int64_t>((n >> 1) ^ (~(n & 1) + 1)), out_);
        return true;
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        AppendInt(n, out_);
        return true;
      default:
        return false;
    }
  }

  bool Scalar(const FieldDescriptor* field, const Occurrence& occurrence) {
    const auto n = occurrence.number;
    switch (field->type()) {
      case FieldDescriptor::TYPE_DOUBLE: {
        double value;
        std::memcpy(&value, &n, sizeof value);
        AppendFloating(value, out_);
        return true;
      }
      case FieldDescriptor::TYPE_FLOAT: {
        const auto bits = static_cast<std::uint32_t>(n);
        float value;
        std::memcpy(&value, &bits, sizeof value);
        AppendFloating(value, out_);
        return true;
      }
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        out_->push_back('"');
        MapKey(field, occurrence);
        out_->push_back('"');
        return true;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SFIXED32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
      case FieldDescriptor::TYPE_BOOL:
        return MapKey(field, occurrence);
      case FieldDescriptor::TYPE_STRING:
        AppendString(occurrence.span, out_);
        return true;
      case FieldDescriptor::TYPE_BYTES: {
        std::string encoded;
        pb::Base64Escape(pb::StringPiece(occurrence.span.data(), occurrence.span.size()), &encoded);
        out_->push_back('"');
        out_->append(encoded);
        out_->push_back('"');
        return true;
      }
      case FieldDescriptor::TYPE_ENUM: {
        const auto number = static_cast<std::int32_t>(n);
        if (field->enum_type()->full_name() == "google.protobuf.NullValue") {
          out_->append("null");
          return true;
        }
        const auto* value = field->enum_type()->FindValueByNumber(number);
        if (value == nullptr) {
          AppendInt(number, out_);
        } else {
          AppendString(value->name(), out_);
        }
        return true;
      }
      default:
        return false;
    }
  }

  // The value protobuf prints for an unset singular scalar field.
  void Default(const FieldDescriptor* field) {
    switch (field->type()) {
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SFIXED32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        out_->push_back('0');
        return;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        out_->append("\"0\"");
        return;
      case FieldDescriptor::TYPE_BOOL:
        out_->append("false");
        return;
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
        out_->append("\"\"");
        return;
      case FieldDescriptor::TYPE_ENUM:
        AppendString(field->enum_type()->value(0)->name(), out_);
        return;
      default:
        return;
    }
  }

  std::string* out_;
  std::size_t depth_ = 0;
  // One list per depth; a deque, as a deeper level must not move the lists of those above.
  std::deque<std::vector<Occurrence>> scratch_;
};

}  // namespace

bool PrintJson(const pb::Descriptor* type, std::string_view bytes, std::string* json) {
  const auto* plan = PlanFor(type);
  json->reserve(json->size() + bytes.size() * 2 + 64);
  Printer printer(json);
  return printer.Message(*plan, bytes);
}

}  // namespace ss::gateway
