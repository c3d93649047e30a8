#include "protobuf_body.h"

#include <ctime>

namespace kubeemu {
namespace {

enum class Kind {
  kString,
  kInt,
  kBool,
  kMessage,
  kStringMap,
  kBytesMap,
  kQuantityMap,
  kTime,
  kIntOrString
};

struct Field {
  int number;
  const char* name;
  Kind kind;
  const char* message = "";
  bool repeated = false;
};

using Schema = std::map<std::string, std::vector<Field>>;

// Field numbers from the Kubernetes API's generated.proto files (k8s.io/api, apimachinery).
const Schema& Messages() {
  using K = Kind;
  static const Schema kSchema = {
      {"ObjectMeta",
       {{1, "name", K::kString},
        {2, "generateName", K::kString},
        {3, "namespace", K::kString},
        {5, "uid", K::kString},
        {6, "resourceVersion", K::kString},
        {7, "generation", K::kInt},
        {8, "creationTimestamp", K::kTime},
        {11, "labels", K::kStringMap},
        {12, "annotations", K::kStringMap},
        {13, "ownerReferences", K::kMessage, "OwnerReference", true},
        {14, "finalizers", K::kString, "", true}}},
      {"OwnerReference",
       {{1, "kind", K::kString},
        {3, "name", K::kString},
        {4, "uid", K::kString},
        {5, "apiVersion", K::kString},
        {6, "controller", K::kBool},
        {7, "blockOwnerDeletion", K::kBool}}},
      {"LabelSelector",
       {{1, "matchLabels", K::kStringMap},
        {2, "matchExpressions", K::kMessage, "LabelSelectorRequirement", true}}},
      {"LabelSelectorRequirement",
       {{1, "key", K::kString}, {2, "operator", K::kString}, {3, "values", K::kString, "", true}}},
      {"Namespace", {{1, "metadata", K::kMessage, "ObjectMeta"}}},
      {"ConfigMap",
       {{1, "metadata", K::kMessage, "ObjectMeta"},
        {2, "data", K::kStringMap},
        {3, "binaryData", K::kBytesMap},
        {4, "immutable", K::kBool}}},
      {"Secret",
       {{1, "metadata", K::kMessage, "ObjectMeta"},
        {2, "data", K::kBytesMap},
        {3, "type", K::kString},
        {4, "stringData", K::kStringMap},
        {5, "immutable", K::kBool}}},
      {"ServiceAccount", {{1, "metadata", K::kMessage, "ObjectMeta"}}},
      {"Pod", {{1, "metadata", K::kMessage, "ObjectMeta"}, {2, "spec", K::kMessage, "PodSpec"}}},
      {"PodTemplateSpec",
       {{1, "metadata", K::kMessage, "ObjectMeta"}, {2, "spec", K::kMessage, "PodSpec"}}},
      {"PodSpec",
       {{2, "containers", K::kMessage, "Container", true},
        {3, "restartPolicy", K::kString},
        {4, "terminationGracePeriodSeconds", K::kInt},
        {5, "activeDeadlineSeconds", K::kInt},
        {6, "dnsPolicy", K::kString},
        {7, "nodeSelector", K::kStringMap},
        {8, "serviceAccountName", K::kString},
        {10, "nodeName", K::kString},
        {11, "hostNetwork", K::kBool},
        {16, "hostname", K::kString},
        {17, "subdomain", K::kString},
        {19, "schedulerName", K::kString},
        {20, "initContainers", K::kMessage, "Container", true},
        {22, "tolerations", K::kMessage, "Toleration", true},
        {24, "priorityClassName", K::kString}}},
      {"Container",
       {{1, "name", K::kString},
        {2, "image", K::kString},
        {3, "command", K::kString, "", true},
        {4, "args", K::kString, "", true},
        {5, "workingDir", K::kString},
        {6, "ports", K::kMessage, "ContainerPort", true},
        {7, "env", K::kMessage, "EnvVar", true},
        {8, "resources", K::kMessage, "ResourceRequirements"},
        {9, "volumeMounts", K::kMessage, "VolumeMount", true},
        {13, "terminationMessagePath", K::kString},
        {14, "imagePullPolicy", K::kString},
        {16, "stdin", K::kBool},
        {17, "stdinOnce", K::kBool},
        {18, "tty", K::kBool},
        {20, "terminationMessagePolicy", K::kString}}},
      {"ContainerPort",
       {{1, "name", K::kString},
        {2, "hostPort", K::kInt},
        {3, "containerPort", K::kInt},
        {4, "protocol", K::kString},
        {5, "hostIP", K::kString}}},
      {"EnvVar", {{1, "name", K::kString}, {2, "value", K::kString}}},
      {"ResourceRequirements", {{1, "limits", K::kQuantityMap}, {2, "requests", K::kQuantityMap}}},
      {"VolumeMount",
       {{1, "name", K::kString},
        {2, "readOnly", K::kBool},
        {3, "mountPath", K::kString},
        {4, "subPath", K::kString}}},
      {"Toleration",
       {{1, "key", K::kString},
        {2, "operator", K::kString},
        {3, "value", K::kString},
        {4, "effect", K::kString},
        {5, "tolerationSeconds", K::kInt}}},
      {"Service",
       {{1, "metadata", K::kMessage, "ObjectMeta"}, {2, "spec", K::kMessage, "ServiceSpec"}}},
      {"ServiceSpec",
       {{1, "ports", K::kMessage, "ServicePort", true},
        {2, "selector", K::kStringMap},
        {3, "clusterIP", K::kString},
        {4, "type", K::kString},
        {5, "externalIPs", K::kString, "", true},
        {7, "sessionAffinity", K::kString},
        {10, "externalName", K::kString}}},
      {"ServicePort",
       {{1, "name", K::kString},
        {2, "protocol", K::kString},
        {3, "port", K::kInt},
        {4, "targetPort", K::kIntOrString},
        {5, "nodePort", K::kInt}}},
      {"Deployment",
       {{1, "metadata", K::kMessage, "ObjectMeta"}, {2, "spec", K::kMessage, "DeploymentSpec"}}},
      {"DeploymentSpec",
       {{1, "replicas", K::kInt},
        {2, "selector", K::kMessage, "LabelSelector"},
        {3, "template", K::kMessage, "PodTemplateSpec"},
        {4, "strategy", K::kMessage, "DeploymentStrategy"},
        {5, "minReadySeconds", K::kInt},
        {6, "revisionHistoryLimit", K::kInt},
        {7, "paused", K::kBool},
        {9, "progressDeadlineSeconds", K::kInt}}},
      {"DeploymentStrategy", {{1, "type", K::kString}}},
      {"PodDisruptionBudget",
       {{1, "metadata", K::kMessage, "ObjectMeta"},
        {2, "spec", K::kMessage, "PodDisruptionBudgetSpec"}}},
      {"PodDisruptionBudgetSpec",
       {{1, "minAvailable", K::kIntOrString},
        {2, "selector", K::kMessage, "LabelSelector"},
        {3, "maxUnavailable", K::kIntOrString},
        {4, "unhealthyPodEvictionPolicy", K::kString}}},
  };
  return kSchema;
}

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
bool DecodeEntry(std::string_view data, Kind value_kind, std::string& key, Json& value) {
  Reader r(data);
  while (!r.Done()) {
    std::uint64_t tag = 0;
    std::string_view bytes;
    if (!r.Varint(tag) || (tag & 7) != 2 || !r.Bytes(bytes)) {
      return false;
    }
    if ((tag >> 3) == 1) {
      key = std::string(bytes);
    } else if (value_kind == Kind::kQuantityMap) {
      Reader q(bytes);
      std::uint64_t qtag = 0;
      std::string_view text;
      if (!q.Varint(qtag) || !q.Bytes(text)) {
        return false;
      }
      value = std::string(text);
    } else if (value_kind == Kind::kBytesMap) {
      value = Base64Encode(bytes);
    } else {
      value = std::string(bytes);
    }
  }
  return true;
}

std::optional<Json> DecodeScalarMessage(Kind kind, std::string_view data) {
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
  if (kind == Kind::kIntOrString) {
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
    const Field* field = nullptr;
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
      value = field->kind == Kind::kBool ? Json(true) : Json(static_cast<std::int64_t>(n));
    } else if (wire == 2 && r.Bytes(bytes)) {
      switch (field->kind) {
        case Kind::kString:
          value = std::string(bytes);
          break;
        case Kind::kMessage: {
          auto decoded = DecodeMessage(field->message, bytes);
          if (!decoded) {
            return std::nullopt;
          }
          value = std::move(*decoded);
          break;
        }
        case Kind::kTime:
        case Kind::kIntOrString: {
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
  static const std::set<std::string> kTopLevel = {
      "Namespace", "ConfigMap", "Secret",     "ServiceAccount",
      "Pod",       "Service",   "Deployment", "PodDisruptionBudget"};
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
