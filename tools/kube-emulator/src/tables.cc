#include "tables.h"

#include <ctime>

namespace kubeemu {
namespace {

using Cell = std::function<Json(const Json&)>;

struct Column {
  std::string name;
  std::string type;
  int priority;
  Cell cell;
};

std::string Age(const Json& o, const char* path = "metadata.creationTimestamp") {
  const long long t = ParseRfc3339(PathString(o, path));
  return t < 0 ? "<unknown>" : HumanAge(std::time(nullptr) - t);
}

std::string OrNone(const std::string& s) {
  return s.empty() ? "<none>" : s;
}

Json Int(const Json& o, const char* path) {
  const Json* v = FindPath(o, path);
  return v != nullptr && v->is_number() ? *v : Json(0);
}

std::string NodeStatus(const Json& node) {
  std::string status = "Unknown";
  for (const auto& c : node["status"].value("conditions", Json::array())) {
    if (c.value("type", "") == "Ready") {
      status = c.value("status", "") == "True" ? "Ready" : "NotReady";
    }
  }
  if (node["spec"].value("unschedulable", false)) {
    status += ",SchedulingDisabled";
  }
  return status;
}

std::string NodeRoles(const Json& node) {
  std::string roles;
  const Json labels = node["metadata"].value("labels", Json::object());
  for (const auto& [key, value] : labels.items()) {
    static const std::string kPrefix = "node-role.kubernetes.io/";
    if (key.starts_with(kPrefix)) {
      roles += (roles.empty() ? "" : ",") + key.substr(kPrefix.size());
    }
  }
  return OrNone(roles);
}

std::string NodeAddress(const Json& node, const std::string& type) {
  for (const auto& a : node["status"].value("addresses", Json::array())) {
    if (a.value("type", "") == type) {
      return a.value("address", "");
    }
  }
  return "<none>";
}

std::string PodStatus(const Json& pod) {
  if (pod["metadata"].contains("deletionTimestamp")) {
    return "Terminating";
  }
  for (const auto& cs : pod["status"].value("containerStatuses", Json::array())) {
    const Json* waiting = FindPath(cs, "state.waiting.reason");
    if (waiting != nullptr) {
      return waiting->get<std::string>();
    }
  }
  return pod["status"].value("phase", "Pending");
}

std::string PodReady(const Json& pod) {
  const auto statuses = pod["status"].value("containerStatuses", Json::array());
  int ready = 0;
  for (const auto& cs : statuses) {
    ready += cs.value("ready", false) ? 1 : 0;
  }
  return std::to_string(ready) + "/" + std::to_string(pod["spec"]["containers"].size());
}

long long PodRestarts(const Json& pod) {
  long long restarts = 0;
  for (const auto& cs : pod["status"].value("containerStatuses", Json::array())) {
    restarts += cs.value("restartCount", 0);
  }
  return restarts;
}

std::string Join(const Json& list, const std::string& field) {
  std::string out;
  for (const auto& item : list) {
    out += (out.empty() ? "" : ",") + PathString(item, field);
  }
  return OrNone(out);
}

std::string ServicePorts(const Json& svc) {
  std::string out;
  for (const auto& p : svc["spec"].value("ports", Json::array())) {
    out += (out.empty() ? "" : ",") + std::to_string(p.value("port", 0));
    if (p.contains("nodePort")) {
      out += ":" + std::to_string(p.value("nodePort", 0));
    }
    out += "/" + p.value("protocol", "TCP");
  }
  return OrNone(out);
}

std::string Selector(const Json& selector) {
  std::string out;
  const Json match_labels = selector.value("matchLabels", Json::object());
  for (const auto& [k, v] : match_labels.items()) {
    out += (out.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  }
  return OrNone(out);
}

std::vector<Column> BuiltinColumns(const std::string& kind) {
  const Column name{"Name", "string", 0,
                    [](const Json& o) { return PathString(o, "metadata.name"); }};
  const Column age{"Age", "string", 0, [](const Json& o) { return Age(o); }};
  if (kind == "Node") {
    return {
        name,
        {"Status", "string", 0, NodeStatus},
        {"Roles", "string", 0, NodeRoles},
        age,
        {"Version", "string", 0,
         [](const Json& o) { return PathString(o, "status.nodeInfo.kubeletVersion"); }},
        {"Internal-IP", "string", 1, [](const Json& o) { return NodeAddress(o, "InternalIP"); }},
        {"External-IP", "string", 1, [](const Json& o) { return NodeAddress(o, "ExternalIP"); }},
        {"OS-Image", "string", 1,
         [](const Json& o) { return PathString(o, "status.nodeInfo.osImage"); }}};
  }
  if (kind == "Pod") {
    return {
        name,
        {"Ready", "string", 0, PodReady},
        {"Status", "string", 0, PodStatus},
        {"Restarts", "string", 0, [](const Json& o) { return std::to_string(PodRestarts(o)); }},
        age,
        {"IP", "string", 1, [](const Json& o) { return OrNone(PathString(o, "status.podIP")); }},
        {"Node", "string", 1, [](const Json& o) { return OrNone(PathString(o, "spec.nodeName")); }},
        {"Nominated Node", "string", 1, [](const Json&) { return "<none>"; }},
        {"Readiness Gates", "string", 1, [](const Json&) { return "<none>"; }}};
  }
  if (kind == "Deployment") {
    return {
        name,
        {"Ready", "string", 0,
         [](const Json& o) {
           return std::to_string(Int(o, "status.readyReplicas").get<long long>()) + "/" +
                  std::to_string(Int(o, "spec.replicas").get<long long>());
         }},
        {"Up-to-date", "integer", 0,
         [](const Json& o) { return Int(o, "status.updatedReplicas"); }},
        {"Available", "integer", 0,
         [](const Json& o) { return Int(o, "status.availableReplicas"); }},
        age,
        {"Containers", "string", 1,
         [](const Json& o) { return Join(o["spec"]["template"]["spec"]["containers"], "name"); }},
        {"Images", "string", 1,
         [](const Json& o) { return Join(o["spec"]["template"]["spec"]["containers"], "image"); }},
        {"Selector", "string", 1, [](const Json& o) { return Selector(o["spec"]["selector"]); }}};
  }
  if (kind == "ReplicaSet") {
    return {name,
            {"Desired", "integer", 0, [](const Json& o) { return Int(o, "spec.replicas"); }},
            {"Current", "integer", 0, [](const Json& o) { return Int(o, "status.replicas"); }},
            {"Ready", "integer", 0, [](const Json& o) { return Int(o, "status.readyReplicas"); }},
            age};
  }
  if (kind == "DaemonSet") {
    return {
        name,
        {"Desired", "integer", 0,
         [](const Json& o) { return Int(o, "status.desiredNumberScheduled"); }},
        {"Current", "integer", 0,
         [](const Json& o) { return Int(o, "status.currentNumberScheduled"); }},
        {"Ready", "integer", 0, [](const Json& o) { return Int(o, "status.numberReady"); }},
        {"Up-to-date", "integer", 0,
         [](const Json& o) { return Int(o, "status.updatedNumberScheduled"); }},
        {"Available", "integer", 0, [](const Json& o) { return Int(o, "status.numberAvailable"); }},
        {"Node Selector", "string", 0,
         [](const Json& o) {
           const Json* sel = FindPath(o, "spec.template.spec.nodeSelector");
           return sel == nullptr ? std::string("<none>") : Selector(Json{{"matchLabels", *sel}});
         }},
        age};
  }
  if (kind == "Service") {
    return {name,
            {"Type", "string", 0, [](const Json& o) { return PathString(o, "spec.type"); }},
            {"Cluster-IP", "string", 0,
             [](const Json& o) { return OrNone(PathString(o, "spec.clusterIP")); }},
            {"External-IP", "string", 0, [](const Json&) { return "<none>"; }},
            {"Port(s)", "string", 0, ServicePorts},
            age};
  }
  if (kind == "Namespace") {
    return {name,
            {"Status", "string", 0, [](const Json& o) { return PathString(o, "status.phase"); }},
            age};
  }
  if (kind == "Event") {
    return {{"Last Seen", "string", 0, [](const Json& o) { return Age(o, "lastTimestamp"); }},
            {"Type", "string", 0, [](const Json& o) { return PathString(o, "type"); }},
            {"Reason", "string", 0, [](const Json& o) { return PathString(o, "reason"); }},
            {"Object", "string", 0,
             [](const Json& o) {
               std::string kind = PathString(o, "involvedObject.kind");
               std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
               return kind + "/" + PathString(o, "involvedObject.name");
             }},
            {"Message", "string", 0, [](const Json& o) { return PathString(o, "message"); }}};
  }
  if (kind == "PodDisruptionBudget") {
    const auto or_na = [](const Json& o, const char* path) {
      const std::string v = PathString(o, path);
      return v.empty() ? std::string("N/A") : v;
    };
    return {name,
            {"Min Available", "string", 0,
             [or_na](const Json& o) { return or_na(o, "spec.minAvailable"); }},
            {"Max Unavailable", "string", 0,
             [or_na](const Json& o) { return or_na(o, "spec.maxUnavailable"); }},
            {"Allowed Disruptions", "integer", 0,
             [](const Json& o) { return Int(o, "status.disruptionsAllowed"); }},
            age};
  }
  if (kind == "Lease") {
    return {
        name,
        {"Holder", "string", 0, [](const Json& o) { return PathString(o, "spec.holderIdentity"); }},
        age};
  }
  if (kind == "CustomResourceDefinition") {
    return {name, {"Created At", "date", 0, [](const Json& o) {
                     return PathString(o, "metadata.creationTimestamp");
                   }}};
  }
  return {name, age};
}

std::vector<Column> CustomColumns(const ResourceType& type) {
  std::vector<Column> columns = {
      {"Name", "string", 0, [](const Json& o) { return PathString(o, "metadata.name"); }}};
  if (type.columns.empty()) {
    columns.push_back({"Age", "date", 0, [](const Json& o) { return Age(o); }});
    return columns;
  }
  for (const auto& c : type.columns) {
    columns.push_back({c.name, c.type, c.priority, [c](const Json& o) -> Json {
                         Json v = EvalJsonPath(o, c.json_path);
                         if (c.type == "date" && v.is_string()) {
                           const long long t = ParseRfc3339(v.get<std::string>());
                           return t < 0 ? v : Json(HumanAge(std::time(nullptr) - t));
                         }
                         return v;
                       }});
  }
  return columns;
}

}  // namespace

Json EvalJsonPath(const Json& object, const std::string& path) {
  const Json* node = &object;
  size_t i = 0;
  while (i < path.size() && node != nullptr) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      const std::string index = path.substr(i + 1, close - i - 1);
      i = close == std::string::npos ? path.size() : close + 1;
      if (!node->is_array() || index.empty() || !std::isdigit(index[0])) {
        return nullptr;
      }
      const size_t n = std::stoul(index);
      node = n < node->size() ? &(*node)[n] : nullptr;
      continue;
    }
    const size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end - i);
    i = end == std::string::npos ? path.size() : end;
    node = node->is_object() && node->contains(key) ? &(*node)[key] : nullptr;
  }
  return node == nullptr ? Json(nullptr) : *node;
}

Json ToTable(const ResourceType& type, const std::vector<const Json*>& objects,
             const Json& list_metadata) {
  const std::vector<Column> columns =
      type.schema.is_null() ? BuiltinColumns(type.kind) : CustomColumns(type);
  Json definitions = Json::array();
  for (const auto& c : columns) {
    Json def = {{"name", c.name},
                {"type", c.type},
                {"format", ""},
                {"description", ""},
                {"priority", c.priority}};
    if (c.name == "Name") {
      def["format"] = "name";
    }
    definitions.push_back(std::move(def));
  }
  Json rows = Json::array();
  for (const Json* o : objects) {
    Json cells = Json::array();
    for (const auto& c : columns) {
      cells.push_back(c.cell(*o));
    }
    Json meta = (*o)["metadata"];
    meta.erase("managedFields");
    rows.push_back({{"cells", std::move(cells)},
                    {"object",
                     {{"kind", "PartialObjectMetadata"},
                      {"apiVersion", "meta.k8s.io/v1"},
                      {"metadata", std::move(meta)}}}});
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", list_metadata},
          {"columnDefinitions", std::move(definitions)},
          {"rows", std::move(rows)}};
}

}  // namespace kubeemu
