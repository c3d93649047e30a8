#include "scalar_json.h"

#include <google/protobuf/stubs/strutil.h>

#include <cmath>
#include <cstring>
#include <type_traits>

#include "protobuf_json_escape.h"

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
using pb::FieldDescriptor;

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

}  // namespace

bool AppendMapKeyText(const FieldDescriptor* field, std::uint64_t number, std::string_view span,
                      std::string* out) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_STRING:
      out->append(span);
      return true;
    case FieldDescriptor::TYPE_BOOL:
      out->append(number != 0 ? "true" : "false");
      return true;
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32:
      AppendInt(static_cast<std::int32_t>(number), out);
      return true;
    case FieldDescriptor::TYPE_SINT32:
      AppendInt(static_cast<std::int32_t>((static_cast<std::uint32_t>(number) >> 1) ^
                                          (~(static_cast<std::uint32_t>(number) & 1) + 1)),
                out);
      return true;
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      AppendInt(static_cast<std::uint32_t>(number), out);
      return true;
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
      AppendInt(static_cast<std::int64_t>(number), out);
      return true;
    case FieldDescriptor::TYPE_SINT64:
      AppendInt(static_cast<std::int64_t>((number >> 1) ^ (~(number & 1) + 1)), out);
      return true;
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      AppendInt(number, out);
      return true;
    default:
      return false;
  }
}

bool AppendScalarJson(const FieldDescriptor* field, std::uint64_t number, std::string_view span,
                      std::string* out) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_DOUBLE: {
      double value;
      std::memcpy(&value, &number, sizeof value);
      AppendFloating(value, out);
      return true;
    }
    case FieldDescriptor::TYPE_FLOAT: {
      const auto bits = static_cast<std::uint32_t>(number);
      float value;
      std::memcpy(&value, &bits, sizeof value);
      AppendFloating(value, out);
      return true;
    }
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      out->push_back('"');
      AppendMapKeyText(field, number, span, out);
      out->push_back('"');
      return true;
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_BOOL:
      return AppendMapKeyText(field, number, span, out);
    case FieldDescriptor::TYPE_STRING:
      AppendJsonStringDroppingInvalidUtf8(span, out);
      return true;
    case FieldDescriptor::TYPE_BYTES: {
      std::string encoded;
      pb::Base64Escape(pb::StringPiece(span.data(), span.size()), &encoded);
      out->push_back('"');
      out->append(encoded);
      out->push_back('"');
      return true;
    }
    case FieldDescriptor::TYPE_ENUM: {
      const auto enum_number = static_cast<std::int32_t>(number);
      if (field->enum_type()->full_name() == "google.protobuf.NullValue") {
        out->append("null");
        return true;
      }
      const auto* value = field->enum_type()->FindValueByNumber(enum_number);
      if (value == nullptr) {
        AppendInt(enum_number, out);
      } else {
        AppendJsonStringDroppingInvalidUtf8(value->name(), out);
      }
      return true;
    }
    default:
      return false;
  }
}

void AppendDefaultJson(const FieldDescriptor* field, std::string* out) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      out->push_back('0');
      return;
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      out->append("\"0\"");
      return;
    case FieldDescriptor::TYPE_BOOL:
      out->append("false");
      return;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
      out->append("\"\"");
      return;
    case FieldDescriptor::TYPE_ENUM:
      AppendJsonStringDroppingInvalidUtf8(field->enum_type()->value(0)->name(), out);
      return;
    default:
      return;
  }
}

}  // namespace ss::gateway
