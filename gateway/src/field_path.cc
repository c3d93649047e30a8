#include "field_path.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
using Field = pb::FieldDescriptor;

bool IsWrapper(const pb::Descriptor* type) {
  return type->file()->name() == "google/protobuf/wrappers.proto";
}

const Field* FindField(const pb::Descriptor* type, std::string_view name) {
  if (const auto* field = type->FindFieldByName(std::string(name)))
    return field;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name)
      return type->field(i);
  }
  return nullptr;
}

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return {};
  return value;
}

std::optional<double> ParseDouble(std::string_view text) {
  if (text == "NaN")
    return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity")
    return std::numeric_limits<double>::infinity();
  if (text == "-Infinity")
    return -std::numeric_limits<double>::infinity();
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return {};
  return value;
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "1")
    return true;
  if (text == "false" || text == "0")
    return false;
  return {};
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

// Standard or URL-safe alphabet, padding optional.
std::optional<std::string> ParseBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=')
    text.remove_suffix(1);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = Base64Value(c);
    if (value < 0)
      return {};
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (bits >= 6)
    return {};
  return out;
}

// Sets (or adds) a non-message field of `message` from text; false if the text does not fit.
bool SetScalar(pb::Message* message, const Field* field, std::string_view text) {
  const auto* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
#define SS_SET_NUMBER(CPP, TYPE, PARSE, SETTER)                           \
  case Field::CPP: {                                                      \
    const auto value = PARSE;                                             \
    if (!value)                                                           \
      return false;                                                       \
    if (repeated) {                                                       \
      reflection->Add##SETTER(message, field, static_cast<TYPE>(*value)); \
    } else {                                                              \
      reflection->Set##SETTER(message, field, static_cast<TYPE>(*value)); \
    }                                                                     \
    return true;                                                          \
  }
    SS_SET_NUMBER(CPPTYPE_INT32, int32_t, ParseInt<int32_t>(text), Int32)
    SS_SET_NUMBER(CPPTYPE_INT64, int64_t, ParseInt<int64_t>(text), Int64)
    SS_SET_NUMBER(CPPTYPE_UINT32, uint32_t, ParseInt<uint32_t>(text), UInt32)
    SS_SET_NUMBER(CPPTYPE_UINT64, uint64_t, ParseInt<uint64_t>(text), UInt64)
    SS_SET_NUMBER(CPPTYPE_DOUBLE, double, ParseDouble(text), Double)
    SS_SET_NUMBER(CPPTYPE_BOOL, bool, ParseBool(text), Bool)
#undef SS_SET_NUMBER
    case Field::CPPTYPE_FLOAT: {
      const auto value = ParseDouble(text);
      if (!value ||
          (std::isfinite(*value) && std::fabs(*value) > std::numeric_limits<float>::max())) {
        return false;
      }
      if (repeated) {
        reflection->AddFloat(message, field, static_cast<float>(*value));
      } else {
        reflection->SetFloat(message, field, static_cast<float>(*value));
      }
      return true;
    }
    case Field::CPPTYPE_ENUM: {
      const auto* value = field->enum_type()->FindValueByName(std::string(text));
      if (value == nullptr) {
        const auto number = ParseInt<int32_t>(text);
        if (number)
          value = field->enum_type()->FindValueByNumber(*number);
      }
      if (value == nullptr)
        return false;
      if (repeated) {
        reflection->AddEnum(message, field, value);
      } else {
        reflection->SetEnum(message, field, value);
      }
      return true;
    }
    case Field::CPPTYPE_STRING: {
      std::string value(text);
      if (field->type() == Field::TYPE_BYTES) {
        auto decoded = ParseBase64(text);
        if (!decoded)
          return false;
        value = std::move(*decoded);
      }
      if (repeated) {
        reflection->AddString(message, field, std::move(value));
      } else {
        reflection->SetString(message, field, std::move(value));
      }
      return true;
    }
    case Field::CPPTYPE_MESSAGE: {
      auto* wrapper = repeated ? reflection->AddMessage(message, field)
                               : reflection->MutableMessage(message, field);
      return SetScalar(wrapper, wrapper->GetDescriptor()->field(0), text);
    }
  }
  return false;
}

}  // namespace

bool ResolveFieldPath(const pb::Descriptor* type, const std::vector<std::string>& names,
                      FieldPath* path) {
  path->clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Field* field = type == nullptr ? nullptr : FindField(type, names[i]);
    if (field == nullptr || field->is_map())
      return false;
    path->push_back(field);
    const bool last = i + 1 == names.size();
    if (!last && (field->is_repeated() || field->cpp_type() != Field::CPPTYPE_MESSAGE)) {
      return false;
    }
    type = field->message_type();
    if (last && type != nullptr && !IsWrapper(type))
      return false;
  }
  return !path->empty();
}

bool ResolveFieldPath(const pb::Descriptor* type, std::string_view dotted, FieldPath* path) {
  std::vector<std::string> names;
  while (true) {
    const auto dot = dotted.find('.');
    names.emplace_back(dotted.substr(0, dot));
    if (dot == std::string_view::npos)
      break;
    dotted.remove_prefix(dot + 1);
  }
  return ResolveFieldPath(type, names, path);
}

std::string FieldPathName(const FieldPath& path) {
  std::string name;
  for (const auto* field : path) {
    if (!name.empty())
      name += '.';
    name += field->name();
  }
  return name;
}

grpc::Status SetFieldFromText(pb::Message* root, const FieldPath& path, std::string_view text,
                              std::string_view what) {
  pb::Message* message = root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, path[i]);
  }
  if (!SetScalar(message, path.back(), text)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "invalid value for " + std::string(what));
  }
  return grpc::Status::OK;
}

}  // namespace ss::gateway
