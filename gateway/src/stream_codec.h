// The messages of a WebSocket stream (an endpoint's WebSocketShape): upstream messages decoded
// into their type, object, key and owner, and the JSON the gateway sends for them or builds itself
// (snapshots for joining clients, deltas after a re-subscription), in the same canonical JSON as
// the REST API.
#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "endpoint.h"

namespace ss::gateway {

// One object of a shared stream: its key and owner, serialized and as JSON.
struct StreamObject {
  std::string key;
  std::string owner;
  std::string bytes;
  std::shared_ptr<const std::string> json;
};

struct StreamMessage {
  std::string type;
  // The message's object, when the stream has one and the message carries it.
  bool has_object = false;
  StreamObject object;
  // The objects of a `snapshot` message.
  std::vector<StreamObject> snapshot;
  // The whole message as JSON (not filled for snapshots, which are not forwarded).
  std::shared_ptr<const std::string> json;
  // With the stream's seed_value field: that field's value as JSON, for the seed's clients.
  std::shared_ptr<const std::string> seed_json;
};

class StreamCodec {
 public:
  explicit StreamCodec(const Endpoint& endpoint);

  // Decodes a serialized upstream message. INTERNAL when it is not one of the stream's.
  grpc::Status Decode(const std::string& bytes, StreamMessage* message) const;

  // The JSON of a message {type, <object>} made by the gateway (added, modified, deleted).
  std::shared_ptr<const std::string> EventJson(std::string_view type,
                                               const std::string& object_bytes) const;

  // {"type": "snapshot", "<snapshot field>": [objects...]} (with the message's other fields at
  // their defaults, as the REST API prints them).
  std::string SnapshotJson(const std::vector<std::shared_ptr<const std::string>>& objects) const;

  // {"type": "<seed_list_type>", "<snapshot field>": [objects...]}: the seed's list message.
  std::string SeedListJson(const std::vector<std::shared_ptr<const std::string>>& objects) const;

 private:
  std::string ToJson(const google::protobuf::Descriptor* type, const std::string& bytes) const;
  StreamObject ObjectOf(const google::protobuf::Message& object) const;

  const Endpoint& endpoint_;
  // The type of the snapshot's objects.
  const google::protobuf::Descriptor* object_type_ = nullptr;
  // The snapshot JSON around its array of objects.
  std::string snapshot_prefix_;
  std::string snapshot_suffix_;
  // The seed's list JSON around its array of objects.
  std::string seed_list_prefix_;
};

}  // namespace ss::gateway
