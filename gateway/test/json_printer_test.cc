#include "json_printer.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <random>

#include "descriptor_source.h"
#include "json_printer_test.pb.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "streamspace/catalog/v1/catalog.pb.h"
#include "streamspace/nodes/v1/nodes.pb.h"
#include "streamspace/session/v1/session.pb.h"
#include "streamspace/tracker/v1/tracker.pb.h"

using namespace ss::gateway;
namespace pb = google::protobuf;
using pb::FieldDescriptor;

namespace {

// What the gateway printed before: protobuf's converter with zero values printed.
std::string Reference(const pb::Descriptor* type, const std::string& bytes, bool* ok) {
  static const std::unique_ptr<pb::util::TypeResolver> resolver(
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com",
                                                 pb::DescriptorPool::generated_pool()));
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  *ok = pb::util::BinaryToJsonString(resolver.get(), TypeUrl(type), bytes, &json, options).ok();
  return json;
}

void RequireSame(const pb::Message& message) {
  const auto bytes = message.SerializeAsString();
  bool reference_ok = false;
  const auto expected = Reference(message.GetDescriptor(), bytes, &reference_ok);
  std::string actual;
  const bool ok = PrintJson(message.GetDescriptor(), bytes, &actual);
  INFO(message.GetDescriptor()->full_name() << ": " << message.ShortDebugString());
  REQUIRE(ok == reference_ok);
  if (ok)
    REQUIRE(actual == expected);
}

class Filler {
 public:
  explicit Filler(std::uint32_t seed) : random_(seed) {}

  void Fill(pb::Message* message, int depth) {
    const auto* type = message->GetDescriptor();
    if (type->file()->name().rfind("google/protobuf/", 0) == 0) {
      FillWellKnown(message, depth);
      return;
    }
    const auto* reflection = message->GetReflection();
    for (int i = 0; i < type->field_count(); ++i) {
      const auto* field = type->field(i);
      if (Chance(3))
        continue;
      const bool nested = field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_map();
      if (nested && depth >= 3)
        continue;
      if (field->is_repeated()) {
        const int count = Int(0, depth > 0 ? 2 : 4);
        for (int n = 0; n < count; ++n) {
          if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
            auto* element = reflection->AddMessage(message, field);
            if (field->is_map()) {
              FillEntry(element, depth);
            } else {
              Fill(element, depth + 1);
            }
          } else {
            AddScalar(message, field);
          }
        }
      } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        Fill(reflection->MutableMessage(message, field), depth + 1);
      } else {
        SetScalar(message, field);
      }
    }
  }

  std::string String() {
    static const std::vector<std::string> pieces = {"a",          "Z",
                                                    "0",          " ",
                                                    "\"",         "\\",
                                                    "/",          "<",
                                                    ">",          "&",
                                                    "=",          "'",
                                                    "\n",         "\t",
                                                    "\r",         "\b",
                                                    "\f",         std::string(1, '\0'),
                                                    "\x01",       "\x1f",
                                                    "\x7f",       "é",
                                                    "ß",          "日本",
                                                    "\u00a0",     "\u00ad",
                                                    "\u0600",     "\u06dd",
                                                    "\u200b",     "\u2028",
                                                    "\u2029",     "\u202e",
                                                    "\u2060",     "\ufeff",
                                                    "\ufffa",     "😀",
                                                    "\U000e0001", "\U0001d173",
                                                    "\U000e0041", "\u0085",
                                                    "\u009f",     "node-1",
                                                    "us-east-1a", "kubernetes.io/hostname"};
    std::string text;
    const int count = Int(0, 6);
    for (int i = 0; i < count; ++i)
      text += pieces[static_cast<std::size_t>(Int(0, static_cast<int>(pieces.size()) - 1))];
    return text;
  }

 private:
  bool Chance(int one_in) { return Int(0, one_in - 1) == 0; }

  int Int(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  template <typename T>
  T Pick(std::initializer_list<T> values) {
    return values.begin()[Int(0, static_cast<int>(values.size()) - 1)];
  }

  std::int64_t Int64() {
    return Pick<std::int64_t>({0, 1, -1, 42, -1000000007, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max(),
                               static_cast<std::int64_t>(random_())});
  }

  std::uint64_t Uint64() {
    return Pick<std::uint64_t>({0, 1, 42, std::numeric_limits<std::uint64_t>::max(),
                                (static_cast<std::uint64_t>(random_()) << 32) | random_()});
  }

  std::int32_t Int32() {
    return Pick<std::int32_t>({0, 1, -1, 7, -300, std::numeric_limits<std::int32_t>::min(),
                               std::numeric_limits<std::int32_t>::max(),
                               static_cast<std::int32_t>(random_())});
  }

  std::uint32_t Uint32() {
    return Pick<std::uint32_t>({0, 1, 300, std::numeric_limits<std::uint32_t>::max(),
                                static_cast<std::uint32_t>(random_())});
  }

  double Double(bool finite = false) {
    const double inf = std::numeric_limits<double>::infinity();
    const double value =
        Pick<double>({0.0, -0.0, 1.5, 0.1, 1.0 / 3, -2.5e-300, 1e300, 123456789.125, 1e21, 1e-7,
                      std::numeric_limits<double>::quiet_NaN(), inf, -inf,
                      std::numeric_limits<double>::denorm_min(),
                      std::uniform_real_distribution<double>(-1e6, 1e6)(random_)});
    return finite && !std::isfinite(value) ? 2.0 : value;
  }

  float Float() {
    const float inf = std::numeric_limits<float>::infinity();
    return Pick<float>({0.0f, -0.0f, 1.5f, 0.1f, 1.0f / 3, 3.4e38f, 1e-38f,
                        std::numeric_limits<float>::quiet_NaN(), inf, -inf,
                        std::uniform_real_distribution<float>(-1e6f, 1e6f)(random_)});
  }

  std::string Bytes() {
    std::string bytes(static_cast<std::size_t>(Int(0, 7)), '\0');
    for (auto& byte : bytes)
      byte = static_cast<char>(random_());
    return bytes;
  }

  int EnumNumber(const pb::EnumDescriptor* type) {
    if (Chance(6))
      return Pick<int>({-5, 77});
    return type->value(Int(0, type->value_count() - 1))->number();
  }

  void SetScalar(pb::Message* message, const FieldDescriptor* field) {
    const auto* r = message->GetReflection();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r->SetInt32(message, field, Int32());
      case FieldDescriptor::CPPTYPE_INT64:
        return r->SetInt64(message, field, Int64());
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->SetUInt32(message, field, Uint32());
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->SetUInt64(message, field, Uint64());
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->SetDouble(message, field, Double());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->SetFloat(message, field, Float());
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->SetBool(message, field, Chance(2));
      case FieldDescriptor::CPPTYPE_ENUM:
        return r->SetEnumValue(message, field, EnumNumber(field->enum_type()));
      case FieldDescriptor::CPPTYPE_STRING:
        return r->SetString(message, field,
                            field->type() == FieldDescriptor::TYPE_BYTES ? Bytes() : String());
      default:
        return;
    }
  }

  void AddScalar(pb::Message* message, const FieldDescriptor* field) {
    const auto* r = message->GetReflection();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r->AddInt32(message, field, Int32());
      case FieldDescriptor::CPPTYPE_INT64:
        return r->AddInt64(message, field, Int64());
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->AddUInt32(message, field, Uint32());
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->AddUInt64(message, field, Uint64());
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->AddDouble(message, field, Double());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->AddFloat(message, field, Float());
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->AddBool(message, field, Chance(2));
      case FieldDescriptor::CPPTYPE_ENUM:
        return r->AddEnumValue(message, field, EnumNumber(field->enum_type()));
      case FieldDescriptor::CPPTYPE_STRING:
        return r->AddString(message, field,
                            field->type() == FieldDescriptor::TYPE_BYTES ? Bytes() : String());
      default:
        return;
    }
  }

  // A map entry: a key (mostly not empty: protobuf refuses empty keys) and a value.
  void FillEntry(pb::Message* entry, int depth) {
    const auto* type = entry->GetDescriptor();
    const auto* key = type->FindFieldByNumber(1);
    const auto* value = type->FindFieldByNumber(2);
    if (key->type() == FieldDescriptor::TYPE_STRING) {
      auto text = String();
      entry->GetReflection()->SetString(entry, key, text.empty() ? "k" : text);
    } else {
      SetScalar(entry, key);
    }
    if (value->type() == FieldDescriptor::TYPE_MESSAGE) {
      Fill(entry->GetReflection()->MutableMessage(entry, value), depth + 1);
    } else {
      SetScalar(entry, value);
    }
  }

  void FillValue(pb::Value* value, int depth) {
    switch (Int(0, depth >= 2 ? 4 : 6)) {
      case 4:
        break;
      case 0:
        value->set_null_value(pb::NULL_VALUE);
        break;
      case 1:
        value->set_number_value(Double(true));
        break;
      case 2:
        value->set_string_value(String());
        break;
      case 3:
        value->set_bool_value(Chance(2));
        break;
      case 5:
        FillStruct(value->mutable_struct_value(), depth + 1);
        break;
      default:
        for (int i = Int(0, 3); i > 0; --i)
          FillValue(value->mutable_list_value()->add_values(), depth + 1);
        break;
    }
  }

  void FillStruct(pb::Struct* object, int depth) {
    for (int i = Int(0, 3); i > 0; --i)
      FillValue(&(*object->mutable_fields())["k" + std::to_string(i) + String()], depth + 1);
  }

  void FillWellKnown(pb::Message* message, int depth) {
    const auto& name = message->GetDescriptor()->full_name();
    const auto* type = message->GetDescriptor();
    const auto* r = message->GetReflection();
    if (name == "google.protobuf.Timestamp") {
      r->SetInt64(message, type->field(0),
                  Pick<std::int64_t>({0, 1700000000, -62135596800, 253402300799}));
      r->SetInt32(message, type->field(1), Pick<std::int32_t>({0, 1000000, 123456789, 5}));
    } else if (name == "google.protobuf.Duration") {
      const auto seconds = Pick<std::int64_t>({0, 30, -30, 315576000000});
      r->SetInt64(message, type->field(0), seconds);
      r->SetInt32(message, type->field(1), seconds < 0 ? -500 : Pick<std::int32_t>({0, 1500}));
    } else if (name == "google.protobuf.Struct") {
      FillStruct(static_cast<pb::Struct*>(message), depth);
    } else if (name == "google.protobuf.Value") {
      FillValue(static_cast<pb::Value*>(message), depth);
    } else if (name == "google.protobuf.ListValue") {
      for (int i = Int(0, 3); i > 0; --i)
        FillValue(static_cast<pb::ListValue*>(message)->add_values(), depth + 1);
    } else if (name == "google.protobuf.FieldMask") {
      for (int i = Int(0, 2); i > 0; --i)
        r->AddString(message, type->field(0), Pick<const char*>({"name", "spec.node_name", "a"}));
    } else if (name == "google.protobuf.Any") {
      streamspace::testing::v1::Leaf leaf;
      Fill(&leaf, depth + 1);
      static_cast<pb::Any*>(message)->PackFrom(leaf);
    } else if (name != "google.protobuf.Empty" && !Chance(4)) {
      const auto* value = type->FindFieldByName("value");
      if (value->type() == FieldDescriptor::TYPE_DOUBLE) {
        r->SetDouble(message, value, Double(true));
      } else if (value->type() == FieldDescriptor::TYPE_FLOAT) {
        r->SetFloat(message, value, 1.25f);
      } else {
        SetScalar(message, value);
      }
    }
  }

  std::mt19937 random_;
};

void AddTypes(const pb::Descriptor* type, std::vector<const pb::Descriptor*>* types) {
  if (type->options().map_entry())
    return;
  types->push_back(type);
  for (int i = 0; i < type->nested_type_count(); ++i)
    AddTypes(type->nested_type(i), types);
}

// Every message of the StreamSpace APIs (responses, and what they are made of).
std::vector<const pb::Descriptor*> ApiTypes() {
  std::vector<const pb::Descriptor*> types;
  for (const auto* file : {streamspace::auth::v1::User::descriptor()->file(),
                           streamspace::session::v1::Session::descriptor()->file(),
                           streamspace::tracker::v1::Connection::descriptor()->file(),
                           streamspace::nodes::v1::Taint::descriptor()->file(),
                           streamspace::catalog::v1::Port::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i)
      AddTypes(file->message_type(i), &types);
  }
  return types;
}

}  // namespace

TEST_CASE("the JSON printer prints every kind of field as protobuf does") {
  for (std::uint32_t seed = 1; seed <= 3000; ++seed) {
    Filler filler(seed);
    streamspace::testing::v1::AllTypes message;
    filler.Fill(&message, 0);
    RequireSame(message);
  }
}

TEST_CASE(
    "the JSON printer prints zero values, empty lists and maps, and leaves out unset "
    "messages") {
  streamspace::testing::v1::AllTypes message;
  RequireSame(message);
  (*message.mutable_m_string())[""] = "empty key";
  message.mutable_f_leaf();
  message.mutable_w_struct();
  message.mutable_w_list();
  message.set_choice_number(0);
  message.set_opt_text("");
  RequireSame(message);
  std::string json;
  REQUIRE(PrintJson(message.GetDescriptor(), message.SerializeAsString(), &json));
  CHECK(json.find("\"fInt64\":\"0\"") != std::string::npos);
  CHECK(json.find("\"rLeaf\":[]") != std::string::npos);
  CHECK(json.find("\"mString\":{\"\":\"empty key\"}") != std::string::npos);
  CHECK(json.find("\"mInt64\":{}") != std::string::npos);
  CHECK(json.find("\"wTimestamp\"") == std::string::npos);
}

TEST_CASE("the JSON printer prints every message of the APIs as protobuf does") {
  const auto types = ApiTypes();
  REQUIRE(types.size() > 50);
  for (const auto* type : types) {
    for (std::uint32_t seed = 1; seed <= 200; ++seed) {
      Filler filler(seed);
      std::unique_ptr<pb::Message> message(
          pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
      filler.Fill(message.get(), 0);
      RequireSame(*message);
    }
  }
}

TEST_CASE("the JSON printer escapes strings as protobuf does, invalid UTF-8 included") {
  // Serializing a string field of invalid UTF-8 logs an error (and works).
  pb::LogSilencer silence;
  Filler filler(7);
  streamspace::testing::v1::Leaf leaf;
  for (const std::string text :
       {"plain", "\xff",
        "a\xc3"
        "A",
        "trunc\xe6\x97", "\xed\xa0\x80 surrogate", "\xf8\x88\x80", "\xc0\x80 overlong",
        "\xf4\x90\x80\x80 too large", "<script>&'=\"</script>"}) {
    leaf.set_name(text);
    leaf.clear_tags();
    leaf.add_tags(text + filler.String());
    RequireSame(leaf);
  }
}

TEST_CASE("the JSON printer refuses malformed messages") {
  const auto* type = streamspace::testing::v1::AllTypes::descriptor();
  std::string json;
  CHECK_FALSE(PrintJson(type, std::string("\x08", 1), &json));  // a cut varint
  CHECK_FALSE(PrintJson(type,
                        std::string("\x72\x05"
                                    "ab",
                                    4),
                        &json));  // a cut string
}
