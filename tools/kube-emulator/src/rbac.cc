#include "rbac.h"

namespace kubeemu {
namespace {

// Store keys of the RBAC kinds.
constexpr const char* kRoles = "rbac.authorization.k8s.io/roles";
constexpr const char* kRoleBindings = "rbac.authorization.k8s.io/rolebindings";
constexpr const char* kClusterRoles = "rbac.authorization.k8s.io/clusterroles";
constexpr const char* kClusterRoleBindings = "rbac.authorization.k8s.io/clusterrolebindings";

// Stored RBAC objects are read defensively: a malformed one must not fail every request.
const Json& Field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::string Text(const Json& object, const char* key) {
  const Json& value = Field(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// `value` is in the list, or the list holds "*" when `wildcard`.
bool Contains(const Json& list, const std::string& value, bool wildcard = true) {
  if (!list.is_array()) {
    return false;
  }
  return std::any_of(list.begin(), list.end(), [&](const Json& item) {
    return item.is_string() && ((wildcard && item == "*") || item == value);
  });
}

bool ResourceMatches(const Json& rule_resources, const RequestAttributes& request) {
  if (!rule_resources.is_array()) {
    return false;
  }
  const std::string combined =
      request.subresource.empty() ? request.resource : request.resource + "/" + request.subresource;
  for (const Json& item : rule_resources) {
    if (!item.is_string()) {
      continue;
    }
    const std::string resource = item;
    if (resource == "*" || resource == combined ||
        (!request.subresource.empty() && resource == "*/" + request.subresource)) {
      return true;
    }
  }
  return false;
}

bool PathMatches(const Json& urls, const std::string& path) {
  if (!urls.is_array()) {
    return false;
  }
  for (const Json& item : urls) {
    if (!item.is_string()) {
      continue;
    }
    const std::string url = item;
    if (url == "*" || url == path ||
        (url.ends_with('*') && path.starts_with(std::string_view(url).substr(0, url.size() - 1)))) {
      return true;
    }
  }
  return false;
}

bool RuleAllows(const Json& rule, const RequestAttributes& request) {
  if (!Contains(Field(rule, "verbs"), request.verb)) {
    return false;
  }
  if (!request.resource_request) {
    return PathMatches(Field(rule, "nonResourceURLs"), request.path);
  }
  if (!Contains(Field(rule, "apiGroups"), request.group) ||
      !ResourceMatches(Field(rule, "resources"), request)) {
    return false;
  }
  // Names match exactly ("*" is no wildcard here), and a request without a name (list, create)
  // never matches a rule that names objects.
  const Json& names = Field(rule, "resourceNames");
  return !names.is_array() || names.empty() || Contains(names, request.name, false);
}

bool SubjectMatches(const Json& subject, const UserInfo& user, const std::string& binding_ns) {
  const std::string kind = Text(subject, "kind");
  const std::string name = Text(subject, "name");
  if (kind == "User") {
    return name == user.name;
  }
  if (kind == "Group") {
    return std::find(user.groups.begin(), user.groups.end(), name) != user.groups.end();
  }
  if (kind == "ServiceAccount") {
    const std::string given = Text(subject, "namespace");
    const std::string& ns = given.empty() ? binding_ns : given;
    return user.name == "system:serviceaccount:" + ns + ":" + name;
  }
  return false;
}

bool BindsUser(const Json& binding, const UserInfo& user) {
  const std::string ns = PathString(binding, "metadata.namespace");
  const Json& subjects = Field(binding, "subjects");
  if (!subjects.is_array()) {
    return false;
  }
  return std::any_of(subjects.begin(), subjects.end(),
                     [&](const Json& s) { return SubjectMatches(s, user, ns); });
}

// The rules a binding grants (none when its role does not exist), for each binding of the user
// that applies in `ns`; `visit` returns true to stop.
template <typename Visit>
void ForEachGrant(const ObjectStore& store, const UserInfo& user, const std::string& ns,
                  Visit visit) {
  const auto role_rules = [&](const Json& binding) -> Json {
    const std::string kind = PathString(binding, "roleRef.kind");
    const std::string name = PathString(binding, "roleRef.name");
    const Json* role = nullptr;
    if (kind == "ClusterRole") {
      role = store.Get(kClusterRoles, "", name);
    } else if (kind == "Role") {
      role = store.Get(kRoles, PathString(binding, "metadata.namespace"), name);
    }
    if (role == nullptr) {
      return Json::array();
    }
    const Json& rules = Field(*role, "rules");
    return rules.is_array() ? rules : Json::array();
  };
  for (const Json* binding : store.List(kClusterRoleBindings, "")) {
    if (BindsUser(*binding, user) && visit(*binding, role_rules(*binding))) {
      return;
    }
  }
  if (ns.empty()) {
    return;
  }
  for (const Json* binding : store.List(kRoleBindings, ns)) {
    if (BindsUser(*binding, user) && visit(*binding, role_rules(*binding))) {
      return;
    }
  }
}

std::string DescribeSubject(const UserInfo& user) {
  if (const auto account = ParseServiceAccountUser(user.name)) {
    return "ServiceAccount \"" + account->second + "/" + account->first + "\"";
  }
  return "User \"" + user.name + "\"";
}

}  // namespace

Decision Authorize(const ObjectStore& store, const UserInfo& user,
                   const RequestAttributes& request) {
  if (user.IsMaster()) {
    return {true, "member of system:masters"};
  }
  Decision decision;
  ForEachGrant(
      store, user, request.resource_request ? request.ns : "",
      [&](const Json& binding, const Json& rules) {
        for (const Json& rule : rules) {
          if (RuleAllows(rule, request)) {
            const std::string kind = binding.value("kind", "");
            decision = {
                true,
                "RBAC: allowed by " + kind + " \"" + PathString(binding, "metadata.name") +
                    (kind == "RoleBinding" ? "/" + PathString(binding, "metadata.namespace") : "") +
                    "\" of " + PathString(binding, "roleRef.kind") + " \"" +
                    PathString(binding, "roleRef.name") + "\" to " + DescribeSubject(user)};
            return true;
          }
        }
        return false;
      });
  return decision;
}

Json RulesReviewStatus(const ObjectStore& store, const UserInfo& user, const std::string& ns) {
  Json resource_rules = Json::array();
  Json non_resource_rules = Json::array();
  if (user.IsMaster()) {
    resource_rules.push_back({{"verbs", {"*"}}, {"apiGroups", {"*"}}, {"resources", {"*"}}});
    non_resource_rules.push_back({{"verbs", {"*"}}, {"nonResourceURLs", {"*"}}});
  }
  ForEachGrant(store, user, ns, [&](const Json&, const Json& rules) {
    for (const Json& rule : rules) {
      if (!rule.is_object()) {
        continue;
      }
      if (rule.contains("nonResourceURLs")) {
        non_resource_rules.push_back(
            {{"verbs", Field(rule, "verbs")}, {"nonResourceURLs", Field(rule, "nonResourceURLs")}});
        continue;
      }
      Json out = {{"verbs", Field(rule, "verbs")},
                  {"apiGroups", Field(rule, "apiGroups")},
                  {"resources", Field(rule, "resources")}};
      if (rule.contains("resourceNames")) {
        out["resourceNames"] = Field(rule, "resourceNames");
      }
      resource_rules.push_back(std::move(out));
    }
    return false;
  });
  return {{"resourceRules", resource_rules},
          {"nonResourceRules", non_resource_rules},
          {"incomplete", false}};
}

ApiError Forbidden(const UserInfo& user, const RequestAttributes& request) {
  std::string reason;
  Json details = Json::object();
  std::string subject;
  if (!request.resource_request) {
    reason = "User \"" + user.name + "\" cannot " + request.verb + " path \"" + request.path + "\"";
    subject = "forbidden: ";
  } else {
    const std::string resource = request.subresource.empty()
                                     ? request.resource
                                     : request.resource + "/" + request.subresource;
    reason =
        "User \"" + user.name + "\" cannot " + request.verb + " resource \"" + resource +
        "\" in API group \"" + request.group + "\"" +
        (request.ns.empty() ? " at the cluster scope" : " in the namespace \"" + request.ns + "\"");
    const std::string qualified =
        request.group.empty() ? request.resource : request.resource + "." + request.group;
    subject =
        qualified + (request.name.empty() ? "" : " \"" + request.name + "\"") + " is forbidden: ";
    details = {{"name", request.name}, {"kind", request.resource}};
    if (!request.group.empty()) {
      details["group"] = request.group;
    }
  }
  return {403,
          {{"kind", "Status"},
           {"apiVersion", "v1"},
           {"metadata", Json::object()},
           {"status", "Failure"},
           {"message", subject + reason},
           {"reason", "Forbidden"},
           {"details", details},
           {"code", 403}}};
}

const std::string& BootstrapPolicyYaml() {
  static const std::string kYaml = R"yaml(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
- {nonResourceURLs: ["*"], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:masters"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "system:discovery"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: [/api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz,
                    /version, /version/]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: "system:discovery"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "system:basic-user"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- apiGroups: [authentication.k8s.io]
  resources: [selfsubjectreviews]
  verbs: [create]
- apiGroups: [authorization.k8s.io]
  resources: [selfsubjectaccessreviews, selfsubjectrulesreviews]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: "system:basic-user"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:basic-user"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "system:public-info-viewer"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: [/healthz, /livez, /readyz, /version, /version/]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: "system:public-info-viewer"
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:public-info-viewer"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated"}
)yaml";
  return kYaml;
}

}  // namespace kubeemu
