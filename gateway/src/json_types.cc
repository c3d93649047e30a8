#include "json_types.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;

// Well-known types have JSON forms of their own (Struct, Value, wrappers); they are left to
// protobuf.
bool IsWellKnown(const pb::Descriptor& type) {
  return type.file()->package() == "google.protobuf";
}

const pb::FieldDescriptor* FieldByJsonKey(const pb::Descriptor& type, const std::string& key) {
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == key)
      return type.field(i);
  }
  return type.FindFieldByName(key);
}

bool HasBoolFields(const pb::Descriptor& type, std::set<const pb::Descriptor*>& seen) {
  if (IsWellKnown(type) || !seen.insert(&type).second)
    return false;
  for (int i = 0; i < type.field_count(); ++i) {
    const auto* field = type.field(i);
    if (field->type() == pb::FieldDescriptor::TYPE_BOOL && !field->is_map())
      return true;
    if (field->message_type() != nullptr && !field->is_map() &&
        HasBoolFields(*field->message_type(), seen)) {
      return true;
    }
  }
  return false;
}

grpc::Status CheckValue(const pb::FieldDescriptor& field, const nlohmann::json& value,
                        const std::string& name);

grpc::Status CheckObject(const pb::Descriptor& type, const nlohmann::json& object,
                         const std::string& prefix) {
  if (!object.is_object() || IsWellKnown(type))
    return grpc::Status::OK;
  for (const auto& [key, value] : object.items()) {
    const auto* field = FieldByJsonKey(type, key);
    if (field == nullptr || field->is_map())
      continue;
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (field->is_repeated() && value.is_array()) {
      for (const auto& element : value) {
        auto status = CheckValue(*field, element, name);
        if (!status.ok())
          return status;
      }
      continue;
    }
    auto status = CheckValue(*field, value, name);
    if (!status.ok())
      return status;
  }
  return grpc::Status::OK;
}

grpc::Status CheckValue(const pb::FieldDescriptor& field, const nlohmann::json& value,
                        const std::string& name) {
  if (field.type() == pb::FieldDescriptor::TYPE_BOOL && !value.is_boolean() && !value.is_null()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "invalid JSON body: field '" + name + "' must be true or false");
  }
  if (field.message_type() != nullptr)
    return CheckObject(*field.message_type(), value, name);
  return grpc::Status::OK;
}

}  // namespace

bool HasBoolFields(const pb::Descriptor& type) {
  std::set<const pb::Descriptor*> seen;
  return HasBoolFields(type, seen);
}

grpc::Status CheckBoolFields(const pb::Descriptor& type, std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid JSON body");
  return CheckObject(type, json, "");
}

}  // namespace ss::gateway
