#include "protobuf_body.h"

#include <ctime>

#include "protobuf_schema.h"

namespace kubeemu {
namespace {

// A protobuf wire-format reader; every read reports failure instead of overrunning.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool Done() const { return pos_ >= data_.size(); }

  bool Varint(std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        return true;
      }
    }
    return false;
  }

  bool Bytes(std::string_view& out) {
    std::uint64_t n = 0;
    if (!Varint(n) || n > data_.size() - pos_) {
      return false;
    }
    out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  bool Skip(int wire_type) {
    std::uint64_t ignored = 0;
    std::string_view bytes;
    switch (wire_type) {
      case 0:
        return Varint(ignored);
      case 1:
        return Advance(8);
      case 2:
        return Bytes(bytes);
      case 5:
        return Advance(4);
      default:
        return false;
    }
  }

 private:
  bool Advance(size_t n) {
    if (n > data_.size() - pos_) {
      return false;
    }
    pos_ += n;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

std::optional<Json> DecodeMessage(const std::string& message, std::string_view data);

// Reads a map entry message (key = 1, value = 2).
bool DecodeEntry(std::string_view data, FieldKind value_kind, std::string& key, Json& value) {
  Reader r(data);
  while (!r.Done()) {
    std::uint64_t tag = 0;
    std::string_view bytes;
    if (!r.Varint(tag) || (tag & 7) != 2 || !r.Bytes(bytes)) {
      return false;
    }
    if ((tag >> 3) == 1) {
      key = std::string(bytes);
    } else if (value_kind == FieldKind::kQuantityMap) {
      Reader q(bytes);
      std::uint64_t qtag = 0;
      std::string_view text;
      if (!q.Varint(qtag) || !q.Bytes(text)) {
        return false;
      }
      value = std::string(text);
    } else if (value_kind == FieldKind::kBytesMap) {
      value = Base64Encode(bytes);
    } else {
      value = std::string(bytes);
    }
  }
  return true;
}

std::optional<Json> DecodeScalarMessage(FieldKind kind, std::string_view data) {
  Reader r(data);
  std::map<int, std::uint64_t> ints;
  std::string text;
  while (!r.Done()) {
    std::uint64_t tag = 0;
    if (!r.Varint(tag)) {
      return std::nullopt;
    }
    if ((tag & 7) == 0) {
      if (!r.Varint(ints[static_cast<int>(tag >> 3)])) {
        return std::nullopt;
      }
    } else if ((tag & 7) == 2) {
      std::string_view bytes;
      if (!r.Bytes(bytes)) {
        return std::nullopt;
      }
      text = std::string(bytes);
    } else if (!r.Skip(static_cast<int>(tag & 7))) {
      return std::nullopt;
    }
  }
  if (kind == FieldKind::kIntOrString) {
    return ints[1] == 1 ? Json(text) : Json(static_cast<std::int32_t>(ints[2]));
  }
  const auto seconds = static_cast<std::time_t>(ints[1]);
  if (seconds == 0) {
    return Json(nullptr);
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return Json(buf);
}

std::optional<Json> DecodeMessage(const std::string& message, std::string_view data) {
  const auto schema = Messages().find(message);
  Json out = Json::object();
  Reader r(data);
  while (!r.Done()) {
    std::uint64_t tag = 0;
    if (!r.Varint(tag)) {
      return std::nullopt;
    }
    const int number = static_cast<int>(tag >> 3);
    const int wire = static_cast<int>(tag & 7);
    const ProtoField* field = nullptr;
    if (schema != Messages().end()) {
      for (const auto& f : schema->second) {
        field = f.number == number ? &f : field;
      }
    }
    if (field == nullptr) {
      if (!r.Skip(wire)) {
        return std::nullopt;
      }
      continue;
    }
    Json value;
    std::uint64_t n = 0;
    std::string_view bytes;
    if (wire == 0) {
      if (!r.Varint(n)) {
        return std::nullopt;
      }
      // Zero and false are what Go's omitempty leaves out; replicas is a pointer, kept as sent.
      if (n == 0 && std::string_view(field->name) != "replicas") {
        continue;
      }
      value = field->kind == FieldKind::kBool ? Json(true) : Json(static_cast<std::int64_t>(n));
    } else if (wire == 2 && r.Bytes(bytes)) {
      switch (field->kind) {
        case FieldKind::kString:
          value = std::string(bytes);
          break;
        case FieldKind::kMessage: {
          auto decoded = DecodeMessage(field->message, bytes);
          if (!decoded) {
            return std::nullopt;
          }
          value = std::move(*decoded);
          break;
        }
        case FieldKind::kTime:
        case FieldKind::kIntOrString: {
          auto decoded = DecodeScalarMessage(field->kind, bytes);
          if (!decoded) {
            return std::nullopt;
          }
          value = std::move(*decoded);
          break;
        }
        default: {
          std::string key;
          Json entry;
          if (!DecodeEntry(bytes, field->kind, key, entry)) {
            return std::nullopt;
          }
          out[field->name][key] = std::move(entry);
          continue;
        }
      }
    } else if (!r.Skip(wire)) {
      return std::nullopt;
    } else {
      continue;
    }
    if (field->repeated) {
      out[field->name].push_back(std::move(value));
    } else if (!value.is_null() && !(value.is_string() && value.get<std::string>().empty())) {
      out[field->name] = std::move(value);
    }
  }
  return out;
}

}  // namespace

std::optional<Json> DecodeProtobufObject(std::string_view body) {
  static constexpr std::string_view kMagic("k8s\0", 4);
  if (!body.starts_with(kMagic)) {
    return std::nullopt;
  }
  Reader r(body.substr(kMagic.size()));
  std::string api_version;
  std::string kind;
  std::string_view raw;
  while (!r.Done()) {
    std::uint64_t tag = 0;
    std::string_view bytes;
    if (!r.Varint(tag) || (tag & 7) != 2 || !r.Bytes(bytes)) {
      return std::nullopt;
    }
    if ((tag >> 3) == 1) {
      Reader type_meta(bytes);
      while (!type_meta.Done()) {
        std::uint64_t t = 0;
        std::string_view value;
        if (!type_meta.Varint(t) || !type_meta.Bytes(value)) {
          return std::nullopt;
        }
        ((t >> 3) == 1 ? api_version : kind) = std::string(value);
      }
    } else if ((tag >> 3) == 2) {
      raw = bytes;
    }
  }
  static const std::set<std::string> kTopLevel = {"Namespace",
                                                  "ConfigMap",
                                                  "Secret",
                                                  "ServiceAccount",
                                                  "Pod",
                                                  "Service",
                                                  "Deployment",
                                                  "PodDisruptionBudget",
                                                  "Role",
                                                  "ClusterRole",
                                                  "RoleBinding",
                                                  "ClusterRoleBinding",
                                                  "SelfSubjectAccessReview",
                                                  "SubjectAccessReview",
                                                  "LocalSubjectAccessReview",
                                                  "SelfSubjectRulesReview",
                                                  "SelfSubjectReview",
                                                  "TokenReview",
                                                  "TokenRequest",
                                                  "DeleteOptions"};
  if (!kTopLevel.contains(kind)) {
    return std::nullopt;
  }
  auto object = DecodeMessage(kind, raw);
  if (!object) {
    return std::nullopt;
  }
  (*object)["apiVersion"] = api_version;
  (*object)["kind"] = kind;
  return object;
}

}  // namespace kubeemu
