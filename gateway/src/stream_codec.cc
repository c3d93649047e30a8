#include "stream_codec.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "json_printer.h"
#include "transcoder.h"

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;

grpc::Status Malformed() {
  return grpc::Status(grpc::StatusCode::INTERNAL, "malformed stream message");
}

// The object of a message along `path`; nullptr when a field on the way is unset.
const pb::Message* FindObject(const pb::Message& message, const WebSocketShape& shape) {
  const pb::Message* current = &message;
  for (const auto* field : shape.object_path) {
    const auto* reflection = current->GetReflection();
    if (!reflection->HasField(*current, field))
      return nullptr;
    current = &reflection->GetMessage(*current, field);
  }
  return current;
}

pb::Message* MutableObject(pb::Message* message, const WebSocketShape& shape) {
  pb::Message* current = message;
  for (const auto* field : shape.object_path)
    current = current->GetReflection()->MutableMessage(current, field);
  return current;
}

}  // namespace

StreamCodec::StreamCodec(const Endpoint& endpoint) : endpoint_(endpoint) {
  const auto& shape = endpoint.stream;
  if (shape.snapshot == nullptr)
    return;
  object_type_ = shape.snapshot->message_type();
  std::unique_ptr<pb::Message> empty(endpoint.response_prototype->New());
  empty->GetReflection()->SetString(empty.get(), shape.type, "snapshot");
  const auto json = ToJson(endpoint.method->output_type(), empty->SerializeAsString());
  // Message fields are unset and left out: the one empty array of the snapshot field is its own.
  const auto array = "\"" + shape.snapshot->json_name() + "\":[]";
  const auto at = json.find(array);
  if (at == std::string::npos)
    throw std::logic_error(endpoint.method->full_name() + ": no snapshot array in " + json);
  snapshot_prefix_ = json.substr(0, at + array.size() - 1);
  snapshot_suffix_ = json.substr(at + array.size() - 1);
  if (!shape.seed_list_type.empty()) {
    seed_list_prefix_ = "{\"type\":" + nlohmann::json(shape.seed_list_type).dump() + ",\"" +
                        shape.snapshot->json_name() + "\":[";
  }
}

std::string StreamCodec::ToJson(const pb::Descriptor* type, const std::string& bytes) const {
  std::string json;
  if (!PrintJson(type, bytes, &json))
    json.clear();
  return json;
}

StreamObject StreamCodec::ObjectOf(const pb::Message& object) const {
  const auto& shape = endpoint_.stream;
  StreamObject out;
  const auto* reflection = object.GetReflection();
  out.key = reflection->GetString(object, shape.key);
  if (shape.owner != nullptr)
    out.owner = reflection->GetString(object, shape.owner);
  out.bytes = object.SerializeAsString();
  out.json = std::make_shared<const std::string>(ToJson(object_type_, out.bytes));
  return out;
}

grpc::Status StreamCodec::Decode(const std::string& bytes, StreamMessage* message) const {
  const auto& shape = endpoint_.stream;
  std::unique_ptr<pb::Message> decoded(endpoint_.response_prototype->New());
  if (!decoded->ParseFromString(bytes))
    return Malformed();
  const auto* reflection = decoded->GetReflection();
  message->type = reflection->GetString(*decoded, shape.type);
  message->has_object = false;
  message->snapshot.clear();
  message->json.reset();
  if (shape.snapshot != nullptr) {
    if (message->type == "snapshot") {
      const int count = reflection->FieldSize(*decoded, shape.snapshot);
      message->snapshot.reserve(static_cast<std::size_t>(count));
      for (int i = 0; i < count; ++i) {
        message->snapshot.push_back(
            ObjectOf(reflection->GetRepeatedMessage(*decoded, shape.snapshot, i)));
        if (message->snapshot.back().json->empty())
          return Malformed();
      }
      return grpc::Status::OK;
    }
    if (const auto* object = FindObject(*decoded, shape)) {
      message->has_object = true;
      message->object = ObjectOf(*object);
      if (message->object.json->empty())
        return Malformed();
    }
  }
  auto json = ToJson(endpoint_.method->output_type(), bytes);
  if (json.empty())
    return Malformed();
  message->seed_json.reset();
  if (shape.seed_value != nullptr) {
    std::string value;
    if (!FieldJson(json, *shape.seed_value, &value))
      return Malformed();
    // An unset value (a proto3 optional field) is nothing to show to the seed's clients.
    if (value != "null")
      message->seed_json = std::make_shared<const std::string>(std::move(value));
  }
  message->json = std::make_shared<const std::string>(std::move(json));
  return grpc::Status::OK;
}

std::shared_ptr<const std::string> StreamCodec::EventJson(std::string_view type,
                                                          const std::string& object_bytes) const {
  std::unique_ptr<pb::Message> event(endpoint_.response_prototype->New());
  event->GetReflection()->SetString(event.get(), endpoint_.stream.type, std::string(type));
  MutableObject(event.get(), endpoint_.stream)->ParseFromString(object_bytes);
  return std::make_shared<const std::string>(
      ToJson(endpoint_.method->output_type(), event->SerializeAsString()));
}

namespace {

std::string JoinArray(std::string_view prefix,
                      const std::vector<std::shared_ptr<const std::string>>& objects,
                      std::string_view suffix) {
  std::size_t size = prefix.size() + suffix.size() + objects.size();
  for (const auto& object : objects)
    size += object->size();
  std::string json;
  json.reserve(size);
  json += prefix;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i > 0)
      json += ',';
    json += *objects[i];
  }
  json += suffix;
  return json;
}

}  // namespace

std::string StreamCodec::SnapshotJson(
    const std::vector<std::shared_ptr<const std::string>>& objects) const {
  return JoinArray(snapshot_prefix_, objects, snapshot_suffix_);
}

std::string StreamCodec::SeedListJson(
    const std::vector<std::shared_ptr<const std::string>>& objects) const {
  return JoinArray(seed_list_prefix_, objects, "]}");
}

}  // namespace ss::gateway
