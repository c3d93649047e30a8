#include "cluster_file.h"

#include <yaml-cpp/yaml.h>

#include <regex>

#include "api.h"

namespace kubeemu {
namespace {

// YAML to JSON; quoted scalars stay strings, plain ones become numbers, booleans or null.
Json Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) {
        out[kv.first.as<std::string>()] = Convert(kv.second);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) {
        out.push_back(Convert(item));
      }
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.Scalar();
      if (node.Tag() == "!") {
        return text;
      }
      static const std::regex kInt("[-+]?[0-9]+");
      static const std::regex kFloat("[-+]?[0-9]*\\.[0-9]+([eE][-+]?[0-9]+)?");
      if (text == "true" || text == "false") {
        return text == "true";
      }
      if (text == "null" || text == "~") {
        return nullptr;
      }
      if (std::regex_match(text, kInt)) {
        return std::stoll(text);
      }
      if (std::regex_match(text, kFloat)) {
        return std::stod(text);
      }
      return text;
    }
    default:
      return nullptr;
  }
}

void DefaultNodeStatus(Json& node, int index) {
  Json& status = node["status"];
  status.emplace("capacity", Json{{"cpu", "4"}, {"memory", "16Gi"}, {"pods", "110"}});
  status.emplace("allocatable", status["capacity"]);
  const std::string now = NowRfc3339();
  const auto condition = [&](const char* type, const char* value, const char* reason,
                             const char* message) {
    return Json{{"type", type},       {"status", value},          {"reason", reason},
                {"message", message}, {"lastHeartbeatTime", now}, {"lastTransitionTime", now}};
  };
  status.emplace(
      "conditions",
      Json::array({condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                             "kubelet has sufficient memory available"),
                   condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                             "kubelet has no disk pressure"),
                   condition("PIDPressure", "False", "KubeletHasSufficientPID",
                             "kubelet has sufficient PID available"),
                   condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")}));
  status.emplace(
      "addresses",
      Json::array({{{"type", "InternalIP"}, {"address", "10.0.1." + std::to_string(10 + index)}},
                   {{"type", "Hostname"}, {"address", node["metadata"]["name"]}}}));
  status.emplace("nodeInfo", Json{{"kubeletVersion", "v1.32.4"},
                                  {"kubeProxyVersion", "v1.32.4"},
                                  {"osImage", "Ubuntu 22.04.4 LTS"},
                                  {"kernelVersion", "6.5.0-1018-aws"},
                                  {"containerRuntimeVersion", "containerd://1.7.13"},
                                  {"operatingSystem", "linux"},
                                  {"architecture", "amd64"},
                                  {"machineID", ShortHash(node["metadata"]["name"].dump())},
                                  {"systemUUID", NewUuid()},
                                  {"bootID", NewUuid()}});
  status.emplace("daemonEndpoints", Json{{"kubeletEndpoint", {{"Port", 10250}}}});
}

}  // namespace

Json YamlToJson(const std::string& yaml) {
  return Convert(YAML::Load(yaml));
}

void SeedCluster(Cluster& cluster, const std::string& yaml, bool only_missing) {
  std::lock_guard lock(cluster.mutex);
  int node_index = 0;
  for (const YAML::Node& doc : YAML::LoadAll(yaml)) {
    if (!doc.IsMap()) {
      continue;
    }
    Json object = Convert(doc);
    const std::string api_version = object.value("apiVersion", "v1");
    const auto slash = api_version.find('/');
    const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    const std::string version = api_version.substr(slash == std::string::npos ? 0 : slash + 1);
    const ResourceType* type =
        cluster.registry().FindKind(group, version, object.value("kind", ""));
    if (type == nullptr) {
      throw std::runtime_error("cluster file: unknown kind " + object.value("kind", "") + " in " +
                               api_version);
    }
    Json& meta = object["metadata"];
    if (type->namespaced) {
      meta.emplace("namespace", "default");
    }
    if (only_missing && cluster.store().Get(type->Key(), meta.value("namespace", ""),
                                            meta.value("name", "")) != nullptr) {
      continue;
    }
    meta["uid"] = NewUuid();
    meta["creationTimestamp"] = NowRfc3339();
    if (type->kind != "Pod") {
      meta["generation"] = 1;
    }
    if (type->kind == "Node") {
      EnsureShape(*type, object);
      DefaultNodeStatus(object, node_index++);
    } else if (type->kind == "Pod" && PathString(object, "status.phase") == "Running" &&
               !PathString(object, "spec.nodeName").empty()) {
      // A pod seeded as already running on its node (large benchmark clusters): its status
      // is kept, so the kubelet neither starts it nor records its start-up events.
      Json status = object["status"];
      ApplyCreateDefaults(*type, object);
      object["status"] = std::move(status);
    } else {
      ApplyCreateDefaults(*type, object);
    }
    cluster.Put(*type, std::move(object));
  }
}

}  // namespace kubeemu
