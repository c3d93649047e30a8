#include "well_known_json.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <array>
#include <cstdint>
#include <memory>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;

constexpr std::array<const char*, 16> kWellKnownTypes = {
    "google.protobuf.Timestamp",   "google.protobuf.Duration",    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",  "google.protobuf.Int64Value",  "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",  "google.protobuf.UInt32Value", "google.protobuf.BoolValue",
    "google.protobuf.StringValue", "google.protobuf.BytesValue",  "google.protobuf.Any",
    "google.protobuf.Struct",      "google.protobuf.Value",       "google.protobuf.ListValue",
    "google.protobuf.FieldMask"};

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

}  // namespace

int WellKnownIndex(const pb::Descriptor* type) {
  for (std::size_t i = 0; i < kWellKnownTypes.size(); ++i) {
    if (type->full_name() == kWellKnownTypes[i])
      return static_cast<int>(i);
  }
  return -1;
}

bool PrintWellKnown(int index, std::string_view bytes, std::string* json) {
  return WellKnown().Print(index, bytes, json);
}

}  // namespace ss::gateway
