// Authorization as kube-apiserver's RBAC authorizer decides it, from the RBAC objects stored.
#pragma once

#include <string>

#include "identity.h"
#include "object_store.h"
#include "status.h"

namespace kubeemu {

// What a request asks to do, in the terms of Kubernetes authorization.
struct RequestAttributes {
  std::string verb;  // get, list, watch, create, update, patch, delete, deletecollection, ...
  bool resource_request = true;
  std::string group;
  std::string resource;
  std::string subresource;
  std::string ns;
  std::string name;
  std::string path;  // of a non-resource request ("/apis", "/openapi/v3", ...)
};

struct Decision {
  bool allowed = false;
  std::string reason;  // which binding allowed it ("" when denied)
};

// Allowed when a rule of a role bound to the user, one of its groups or its ServiceAccount
// matches: ClusterRoleBindings grant their ClusterRole everywhere, RoleBindings grant their Role
// or ClusterRole in their own namespace only. Rules match verbs, API groups, resources (with
// `resource/subresource` and `*/subresource`), resourceNames and nonResourceURLs (a trailing `*`
// is a prefix), `*` in any of them. system:masters may do everything. Caller holds the lock.
Decision Authorize(const ObjectStore& store, const UserInfo& user,
                   const RequestAttributes& request);

// The rules that apply to the user in a namespace, as a SelfSubjectRulesReview's status
// (`resourceRules`, `nonResourceRules`, `incomplete`). Caller holds the lock.
Json RulesReviewStatus(const ObjectStore& store, const UserInfo& user, const std::string& ns);

// 403 Forbidden, worded as kube-apiserver words it: `pods "x" is forbidden: User "..." cannot get
// resource "pods" in API group "" in the namespace "default"`.
ApiError Forbidden(const UserInfo& user, const RequestAttributes& request);

// The bootstrap policy kube-apiserver keeps in every cluster, as far as the emulator needs it:
// cluster-admin for system:masters; discovery, access reviews and public information for every
// authenticated user.
const std::string& BootstrapPolicyYaml();

}  // namespace kubeemu
