#include "workload.h"

#include <cstdint>
#include <set>

#include "fmt/format.h"
#include "kube/json_read.h"
#include "kube/resource.h"
#include "names.h"
#include "session_resource.h"

namespace ss::session {
namespace {

using kube::AsText;
using kube::Child;
using kube::MetaString;
using kube::StringAt;
using nlohmann::json;

std::string Name(const json& session) {
  return MetaString(session, "name");
}

std::string Namespace(const json& session) {
  return MetaString(session, "namespace");
}

std::string User(const json& session) {
  return StringAt(Child(session, "spec"), "user");
}

bool PersistentHome(const json& session) {
  const json& home = Child(Child(session, "spec"), "persistentHome");
  return home.is_boolean() && home.get<bool>();
}

// FNV-1a: stable across processes and builds, unlike std::hash.
std::string Digest(const json& value) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : value.dump()) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

// The owner's user id travels with the session's objects and pods: the nodes service authorizes
// log access by it (the user label is lossy).
json Labels(const json& session) {
  json labels = {{kSessionLabel, Name(session)},
                 {kUserLabel, UserLabelValue(User(session))},
                 {"app.kubernetes.io/managed-by", "streamspace"}};
  const std::string user_id = StringAt(Child(Child(session, "metadata"), "labels"), kUserIdLabel);
  if (!user_id.empty()) {
    labels[kUserIdLabel] = user_id;
  }
  return labels;
}

// Metadata of an object owned by the Session, with the digest of `spec` (replicas aside: they
// are compared on their own, and hibernating must not look like a changed pod template).
json OwnedMetadata(const json& session, const json& spec) {
  json declared = spec;
  declared.erase("replicas");
  return {{"name", Name(session)},
          {"namespace", Namespace(session)},
          {"labels", Labels(session)},
          {"annotations", {{kSpecHashAnnotation, Digest(declared)}}},
          {"ownerReferences", json::array({OwnerReference(session)})}};
}

// The Template's ResourceRequirements with the Session's cpu and memory (flat, or as requests and
// limits) over them; a flat value is both the request and the limit.
json Resources(const json& session, const json& tmpl) {
  json resources = json::object();
  const json& defaults = Child(Child(tmpl, "spec"), "defaultResources");
  for (const char* kind : {"requests", "limits"}) {
    const json& values = Child(defaults, kind);
    if (values.is_object()) {
      for (const auto& [key, value] : values.items()) {
        resources[kind][key] = AsText(value);
      }
    }
  }
  const json& wanted = Child(Child(session, "spec"), "resources");
  for (const char* key : {"cpu", "memory"}) {
    const std::string flat = StringAt(wanted, key);
    if (!flat.empty()) {
      resources["requests"][key] = flat;
      resources["limits"][key] = flat;
    }
  }
  for (const char* kind : {"requests", "limits"}) {
    const json& values = Child(wanted, kind);
    if (values.is_object()) {
      for (const auto& [key, value] : values.items()) {
        resources[kind][key] = AsText(value);
      }
    }
  }
  return resources;
}

// The Template's ports, or its webapp and vnc ports when it lists none.
json ContainerPorts(const json& tmpl) {
  const json& spec = Child(tmpl, "spec");
  json ports = json::array();
  std::set<long> seen;
  const auto add = [&](std::string name, long port, std::string protocol) {
    if (port <= 0 || !seen.insert(port).second) {
      return;
    }
    ports.push_back({{"name", name.empty() ? fmt::format("port-{}", port) : std::move(name)},
                     {"containerPort", port},
                     {"protocol", protocol.empty() ? "TCP" : std::move(protocol)}});
  };
  const json& declared = Child(spec, "ports");
  if (declared.is_array()) {
    for (const auto& port : declared) {
      const json& number = Child(port, "containerPort");
      add(StringAt(port, "name"), number.is_number_integer() ? number.get<long>() : 0,
          StringAt(port, "protocol"));
    }
  }
  for (const char* kind : {"webapp", "vnc"}) {
    const json& app = Child(spec, kind);
    const json& enabled = Child(app, "enabled");
    const json& port = Child(app, "port");
    if (enabled.is_boolean() && enabled.get<bool>() && port.is_number_integer()) {
      add(kind == std::string("webapp") ? "http" : "vnc", port.get<long>(), "TCP");
    }
  }
  return ports;
}

// The port the Ingress sends traffic to: the webapp's, else the first one.
std::optional<long> WebPort(const json& tmpl) {
  const json ports = ContainerPorts(tmpl);
  if (ports.empty()) {
    return std::nullopt;
  }
  const json& port = Child(Child(Child(tmpl, "spec"), "webapp"), "port");
  if (port.is_number_integer()) {
    return port.get<long>();
  }
  return ports.front()["containerPort"].get<long>();
}

// Only literal values: a Template (maybe from a third-party repository) must not hand the
// namespace's secrets or config (valueFrom) to the session's user.
json Env(const json& tmpl) {
  const json& declared = Child(Child(tmpl, "spec"), "env");
  json env = json::array();
  if (declared.is_array()) {
    for (const auto& entry : declared) {
      const json& name = Child(entry, "name");
      const json& value = Child(entry, "value");
      if (name.is_string() && !name.get<std::string>().empty() && value.is_string()) {
        env.push_back({{"name", name}, {"value", value}});
      }
    }
  }
  return env;
}

}  // namespace

json OwnerReference(const json& session) {
  return {{"apiVersion", kube::resources::kSessions.ApiVersion()},
          {"kind", "Session"},
          {"name", Name(session)},
          {"uid", MetaString(session, "uid")},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

bool OwnedByAnother(const json& object, const json& session) {
  const std::string uid = MetaString(session, "uid");
  const json& owners = Child(Child(object, "metadata"), "ownerReferences");
  if (!owners.is_array()) {
    return false;
  }
  for (const auto& owner : owners) {
    const json& controller = Child(owner, "controller");
    if (controller.is_boolean() && controller.get<bool>() && StringAt(owner, "uid") != uid) {
      return true;
    }
  }
  return false;
}

json BuildDeployment(const json& session, const json& tmpl) {
  const std::string name = Name(session);
  const bool running = StringAt(Child(session, "spec"), "state") == "running";
  json mounts = json::array();
  json volumes = json::array();
  std::set<std::string> volume_names;
  const json& declared = Child(Child(tmpl, "spec"), "volumeMounts");
  if (declared.is_array()) {
    for (const auto& mount : declared) {
      mounts.push_back(mount);
      volume_names.insert(StringAt(mount, "name"));
    }
  }
  const bool home = PersistentHome(session);
  if (home && !volume_names.contains(kHomeVolume)) {
    mounts.push_back({{"name", kHomeVolume}, {"mountPath", kDefaultHomePath}});
    volume_names.insert(kHomeVolume);
  }
  for (const auto& volume : volume_names) {
    if (volume == kHomeVolume && home) {
      volumes.push_back({{"name", volume},
                         {"persistentVolumeClaim", {{"claimName", HomeClaimName(User(session))}}}});
    } else {
      volumes.push_back({{"name", volume}, {"emptyDir", json::object()}});
    }
  }
  json container = {{"name", kContainerName},
                    {"image", StringAt(Child(tmpl, "spec"), "baseImage")},
                    {"imagePullPolicy", "IfNotPresent"},
                    {"ports", ContainerPorts(tmpl)},
                    {"env", Env(tmpl)},
                    {"resources", Resources(session, tmpl)},
                    {"volumeMounts", mounts}};
  json pod_labels = Labels(session);
  pod_labels.erase("app.kubernetes.io/managed-by");
  const json spec = {
      {"replicas", running ? 1 : 0},
      {"selector", {{"matchLabels", {{kSessionLabel, name}}}}},
      // One home volume (ReadWriteOnce) and one desktop per session: never two pods at once.
      {"strategy", {{"type", "Recreate"}}},
      {"template",
       {{"metadata", {{"labels", pod_labels}}},
        {"spec",
         {{"containers", json::array({container})},
          {"volumes", volumes},
          // The desktop's user gets neither the API's credentials nor the namespace's services.
          {"automountServiceAccountToken", false},
          {"enableServiceLinks", false}}}}}};
  return {{"apiVersion", kube::resources::kDeployments.ApiVersion()},
          {"kind", "Deployment"},
          {"metadata", OwnedMetadata(session, spec)},
          {"spec", spec}};
}

std::optional<json> BuildService(const json& session, const json& tmpl) {
  const json container_ports = ContainerPorts(tmpl);
  if (container_ports.empty()) {
    return std::nullopt;
  }
  json ports = json::array();
  for (const auto& port : container_ports) {
    ports.push_back({{"name", port["name"]},
                     {"port", port["containerPort"]},
                     {"targetPort", port["containerPort"]},
                     {"protocol", port["protocol"]}});
  }
  const json spec = {
      {"type", "ClusterIP"}, {"selector", {{kSessionLabel, Name(session)}}}, {"ports", ports}};
  return json{{"apiVersion", kube::resources::kServices.ApiVersion()},
              {"kind", "Service"},
              {"metadata", OwnedMetadata(session, spec)},
              {"spec", spec}};
}

std::optional<json> BuildIngress(const json& session, const json& tmpl,
                                 const streamspace::session::v1::PlatformConfig& config) {
  const auto port = WebPort(tmpl);
  if (!port || config.ingress_domain().empty()) {
    return std::nullopt;
  }
  const std::string name = Name(session);
  json spec = {
      {"rules",
       json::array(
           {{{"host", name + "." + config.ingress_domain()},
             {"http",
              {{"paths",
                json::array(
                    {{{"path", "/"},
                      {"pathType", "Prefix"},
                      {"backend",
                       {{"service", {{"name", name}, {"port", {{"number", *port}}}}}}}}})}}}}})}};
  if (!config.ingress_class().empty()) {
    spec["ingressClassName"] = config.ingress_class();
  }
  return json{{"apiVersion", kube::resources::kIngresses.ApiVersion()},
              {"kind", "Ingress"},
              {"metadata", OwnedMetadata(session, spec)},
              {"spec", spec}};
}

json BuildHomeClaim(const json& session, const streamspace::session::v1::PlatformConfig& config) {
  json spec = {{"accessModes", json::array({"ReadWriteOnce"})},
               {"resources", {{"requests", {{"storage", config.home_size()}}}}}};
  if (!config.storage_class().empty()) {
    spec["storageClassName"] = config.storage_class();
  }
  return {{"apiVersion", kube::resources::kPersistentVolumeClaims.ApiVersion()},
          {"kind", "PersistentVolumeClaim"},
          {"metadata",
           {{"name", HomeClaimName(User(session))},
            {"namespace", Namespace(session)},
            {"labels",
             {{kUserLabel, UserLabelValue(User(session))},
              {"app.kubernetes.io/managed-by", "streamspace"}}}}},
          {"spec", spec}};
}

bool Drifted(const json& existing, const json& desired) {
  const auto annotation = [](const json& object) {
    return StringAt(Child(Child(object, "metadata"), "annotations"), kSpecHashAnnotation);
  };
  if (annotation(existing) != annotation(desired)) {
    return true;
  }
  const json& owners = Child(Child(existing, "metadata"), "ownerReferences");
  const std::string uid = StringAt(desired["metadata"]["ownerReferences"][0], "uid");
  bool owned = false;
  if (owners.is_array()) {
    for (const auto& owner : owners) {
      owned = owned || StringAt(owner, "uid") == uid;
    }
  }
  if (!owned) {
    return true;
  }
  const json& spec = Child(desired, "spec");
  if (spec.contains("replicas") && Child(Child(existing, "spec"), "replicas") != spec["replicas"]) {
    return true;
  }
  if (spec.contains("template")) {
    const json& containers =
        Child(Child(Child(Child(existing, "spec"), "template"), "spec"), "containers");
    const std::string image =
        containers.is_array() && !containers.empty() ? StringAt(containers[0], "image") : "";
    return image != spec["template"]["spec"]["containers"][0]["image"].get<std::string>();
  }
  return false;
}

json Corrected(const json& existing, const json& desired) {
  json corrected = existing;
  json& metadata = corrected["metadata"];
  for (const auto& [key, value] : desired["metadata"]["labels"].items()) {
    metadata["labels"][key] = value;
  }
  metadata["annotations"][kSpecHashAnnotation] =
      desired["metadata"]["annotations"][kSpecHashAnnotation];
  metadata["ownerReferences"] = desired["metadata"]["ownerReferences"];
  if (desired.value("kind", "") == "Service") {
    corrected["spec"]["selector"] = desired["spec"]["selector"];
    corrected["spec"]["ports"] = desired["spec"]["ports"];
  } else {
    corrected["spec"] = desired["spec"];
  }
  corrected.erase("status");
  return corrected;
}

}  // namespace ss::session
