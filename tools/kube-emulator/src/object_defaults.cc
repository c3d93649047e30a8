#include <atomic>

#include "api.h"

namespace kubeemu {
namespace {

void DefaultPodSpec(Json& spec) {
  if (!spec.is_object()) {
    return;
  }
  spec.emplace("restartPolicy", "Always");
  spec.emplace("dnsPolicy", "ClusterFirst");
  spec.emplace("schedulerName", "default-scheduler");
  spec.emplace("terminationGracePeriodSeconds", 30);
  spec.emplace("serviceAccountName", "default");
  spec.emplace("securityContext", Json::object());
  if (spec.contains("containers") && spec["containers"].is_array()) {
    for (auto& c : spec["containers"]) {
      const std::string image = c.value("image", "");
      const bool latest = image.find(':') == std::string::npos || image.ends_with(":latest");
      c.emplace("imagePullPolicy", latest ? "Always" : "IfNotPresent");
      c.emplace("terminationMessagePath", "/dev/termination-log");
      c.emplace("terminationMessagePolicy", "File");
      c.emplace("resources", Json::object());
    }
  }
}

// Kinds with a pod template.
bool IsWorkload(const std::string& kind) {
  return kind == "Deployment" || kind == "ReplicaSet" || kind == "DaemonSet" ||
         kind == "StatefulSet";
}

std::string NextClusterIp() {
  static std::atomic<int> next{10};
  const int n = next++;
  return "10.96." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
}

}  // namespace

void EnsureShape(const ResourceType& type, Json& object) {
  static const std::set<std::string> kWithSpecAndStatus = {"Pod",
                                                           "Node",
                                                           "Namespace",
                                                           "Service",
                                                           "Deployment",
                                                           "ReplicaSet",
                                                           "DaemonSet",
                                                           "StatefulSet",
                                                           "HorizontalPodAutoscaler",
                                                           "PodDisruptionBudget",
                                                           "Ingress",
                                                           "PersistentVolumeClaim",
                                                           "CustomResourceDefinition"};
  if (!object["metadata"].is_object()) {
    object["metadata"] = Json::object();
  }
  if (!kWithSpecAndStatus.contains(type.kind) || !type.schema.is_null()) {
    return;
  }
  for (const char* part : {"spec", "status"}) {
    if (!object[part].is_object()) {
      object[part] = Json::object();
    }
  }
  Json* pod_spec = &object["spec"];
  if (IsWorkload(type.kind)) {
    Json& spec = object["spec"];
    if (!spec["selector"].is_object()) {
      spec["selector"] = Json::object();
    }
    if (!spec["template"].is_object()) {
      spec["template"] = Json::object();
    }
    if (!spec["template"]["spec"].is_object()) {
      spec["template"]["spec"] = Json::object();
    }
    pod_spec = &spec["template"]["spec"];
  } else if (type.kind != "Pod") {
    return;
  }
  if (!(*pod_spec)["containers"].is_array()) {
    (*pod_spec)["containers"] = Json::array();
  }
}

void ApplyCreateDefaults(const ResourceType& type, Json& object) {
  EnsureShape(type, object);
  if (!type.group.empty() && type.group != "apps") {
    return;
  }
  if (type.kind == "Pod") {
    DefaultPodSpec(object["spec"]);
    object["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
  } else if (type.kind == "Namespace") {
    object["spec"] = {{"finalizers", {"kubernetes"}}};
    object["status"] = {{"phase", "Active"}};
  } else if (type.kind == "Service") {
    Json& spec = object["spec"];
    spec.emplace("type", "ClusterIP");
    spec.emplace("sessionAffinity", "None");
    if (spec.value("clusterIP", "") != "None") {
      spec["clusterIP"] = NextClusterIp();
      spec["clusterIPs"] = {spec["clusterIP"]};
    }
    if (spec.contains("ports") && spec["ports"].is_array()) {
      for (auto& p : spec["ports"]) {
        p.emplace("protocol", "TCP");
        p.emplace("targetPort", p.value("port", 0));
      }
    }
    object["status"] = {{"loadBalancer", Json::object()}};
  } else if (IsWorkload(type.kind)) {
    Json& spec = object["spec"];
    if (type.kind != "DaemonSet") {
      spec.emplace("replicas", 1);
    }
    if (type.kind == "StatefulSet") {
      spec.emplace("podManagementPolicy", "OrderedReady");
      spec.emplace("persistentVolumeClaimRetentionPolicy",
                   Json{{"whenDeleted", "Retain"}, {"whenScaled", "Retain"}});
      spec.emplace("updateStrategy",
                   Json{{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}});
    }
    spec.emplace("revisionHistoryLimit", 10);
    if (spec.contains("template") && spec["template"].is_object()) {
      DefaultPodSpec(spec["template"]["spec"]);
    }
    object["status"] = Json::object();
  } else if (type.kind == "PersistentVolumeClaim") {
    object["status"] = {
        {"phase", "Bound"},
        {"accessModes", FindPath(object, "spec.accessModes") != nullptr
                            ? object["spec"]["accessModes"]
                            : Json::array({"ReadWriteOnce"})},
        {"capacity",
         object["spec"].value("resources", Json::object()).value("requests", Json::object())}};
  }
}

void ApplyServerStatus(const ResourceType& type, Json& object) {
  if (type.kind != "CustomResourceDefinition") {
    return;
  }
  const std::string now = NowRfc3339();
  Json versions = Json::array();
  for (const auto& v : object["spec"].value("versions", Json::array())) {
    if (v.value("storage", false)) {
      versions.push_back(v.value("name", ""));
    }
  }
  object["status"] = {
      {"acceptedNames", object["spec"].value("names", Json::object())},
      {"conditions", Json::array({{{"type", "NamesAccepted"},
                                   {"status", "True"},
                                   {"reason", "NoConflicts"},
                                   {"message", "no conflicts found"},
                                   {"lastTransitionTime", now}},
                                  {{"type", "Established"},
                                   {"status", "True"},
                                   {"reason", "InitialNamesAccepted"},
                                   {"message", "the initial names have been accepted"},
                                   {"lastTransitionTime", now}}})},
      {"storedVersions", versions}};
}

}  // namespace kubeemu
