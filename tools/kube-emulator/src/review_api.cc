// authentication.k8s.io and authorization.k8s.io: token requests and reviews, access reviews.
#include "api.h"
#include "rbac.h"

namespace kubeemu {
namespace {

constexpr long long kDefaultTokenSeconds = 3600;
constexpr long long kMinTokenSeconds = 600;
// As kube-apiserver's ceiling on a requested lifetime.
constexpr long long kMaxTokenSeconds = 1LL << 32;

Json UserInfoJson(const UserInfo& user) {
  Json out = {{"username", user.name}, {"groups", user.groups}};
  if (!user.uid.empty()) {
    out["uid"] = user.uid;
  }
  return out;
}

// The attributes an access review's spec asks about.
RequestAttributes ReviewedAttributes(const Json& spec) {
  RequestAttributes attributes;
  if (const Json* resource = FindPath(spec, "resourceAttributes");
      resource && resource->is_object()) {
    attributes.verb = resource->value("verb", "");
    attributes.group = resource->value("group", "");
    attributes.resource = resource->value("resource", "");
    attributes.subresource = resource->value("subresource", "");
    attributes.ns = resource->value("namespace", "");
    attributes.name = resource->value("name", "");
    return attributes;
  }
  const Json* non_resource = FindPath(spec, "nonResourceAttributes");
  attributes.resource_request = false;
  if (non_resource != nullptr && non_resource->is_object()) {
    attributes.verb = non_resource->value("verb", "");
    attributes.path = non_resource->value("path", "");
  }
  return attributes;
}

HttpResponse AccessReview(Cluster& cluster, const ResourceRequest& req, Json review,
                          const UserInfo& subject) {
  const Json& spec = review["spec"];
  if (!spec.is_object() ||
      (spec.contains("resourceAttributes") == spec.contains("nonResourceAttributes"))) {
    return ErrorResponse(Invalid(req.type.group, req.type.kind, "",
                                 Json::array({{{"reason", "FieldValueRequired"},
                                               {"message",
                                                "exactly one of nonResourceAttributes "
                                                "or resourceAttributes must be specified"},
                                               {"field", "spec.resourceAttributes"}}})));
  }
  const RequestAttributes attributes = ReviewedAttributes(spec);
  if (req.type.kind == "LocalSubjectAccessReview" && attributes.ns != req.ns) {
    return ErrorResponse(
        BadRequest("spec.resourceAttributes.namespace must match namespace: " + req.ns));
  }
  std::lock_guard lock(cluster.mutex);
  const Decision decision = Authorize(cluster.store(), subject, attributes);
  review["status"] = {{"allowed", decision.allowed}};
  if (!decision.reason.empty()) {
    review["status"]["reason"] = decision.reason;
  }
  return JsonResponse(201, review);
}

HttpResponse TokenRequestResponse(Cluster& cluster, const TokenAuthority& tokens,
                                  const ResourceRequest& req) {
  ApiError error;
  Json request = DecodeBody(req, "TokenRequest", "authentication.k8s.io/v1", error);
  if (request.is_null()) {
    return ErrorResponse(error);
  }
  const Json& spec = request.contains("spec") ? request["spec"] : Json::object();
  const Json& lifetime = spec.is_object() && spec.contains("expirationSeconds")
                             ? spec["expirationSeconds"]
                             : Json(kDefaultTokenSeconds);
  if (!spec.is_object() || !lifetime.is_number_integer()) {
    return ErrorResponse(BadRequest("spec.expirationSeconds must be an integer number of seconds"));
  }
  const long long seconds = std::min(lifetime.get<long long>(), kMaxTokenSeconds);
  if (seconds < kMinTokenSeconds) {
    return ErrorResponse(
        Invalid("authentication.k8s.io", "TokenRequest", req.name,
                Json::array({{{"reason", "FieldValueInvalid"},
                              {"message", "may not specify a duration less than 10 minutes"},
                              {"field", "spec.expirationSeconds"}}})));
  }
  std::vector<std::string> audiences;
  const Json& asked = spec.contains("audiences") ? spec["audiences"] : Json::array();
  for (const Json& audience : asked.is_array() ? asked : Json::array()) {
    if (audience.is_string()) {
      audiences.push_back(audience);
    }
  }
  if (audiences.empty()) {
    audiences.push_back(kTokenIssuer);
  }
  std::lock_guard lock(cluster.mutex);
  const Json* account = cluster.store().Get("/serviceaccounts", req.ns, req.name);
  if (account == nullptr) {
    return ErrorResponse(NotFound({"", "serviceaccounts", req.name}));
  }
  const IssuedToken issued = tokens.Issue(*account, seconds, audiences);
  request["metadata"] = {
      {"name", req.name}, {"namespace", req.ns}, {"creationTimestamp", NowRfc3339()}};
  request["spec"]["audiences"] = audiences;
  request["spec"]["expirationSeconds"] = seconds;
  request["status"] = {{"token", issued.token},
                       {"expirationTimestamp", FormatRfc3339(issued.expires_at)}};
  return JsonResponse(201, request);
}

// Answers a review (access, rules, self, token) of the request's kind.
HttpResponse Answer(Cluster& cluster, const TokenAuthority& tokens, const ResourceRequest& req) {
  ApiError error;
  Json review = DecodeBody(req, req.type.kind, req.type.GroupVersion(), error);
  if (review.is_null()) {
    return ErrorResponse(error);
  }
  review["metadata"] = {{"creationTimestamp", nullptr}};
  const Json spec = review.value("spec", Json::object());
  if (!spec.is_object()) {
    return ErrorResponse(BadRequest("spec must be an object"));
  }
  if (req.type.kind == "SelfSubjectAccessReview") {
    return AccessReview(cluster, req, std::move(review), req.user);
  }
  if (req.type.kind == "SubjectAccessReview" || req.type.kind == "LocalSubjectAccessReview") {
    UserInfo subject{spec.value("user", ""), spec.value("uid", ""),
                     spec.value("groups", std::vector<std::string>{})};
    return AccessReview(cluster, req, std::move(review), subject);
  }
  if (req.type.kind == "SelfSubjectRulesReview") {
    std::lock_guard lock(cluster.mutex);
    review["status"] = RulesReviewStatus(cluster.store(), req.user, spec.value("namespace", ""));
    return JsonResponse(201, review);
  }
  if (req.type.kind == "SelfSubjectReview") {
    review["status"] = {{"userInfo", UserInfoJson(req.user)}};
    return JsonResponse(201, review);
  }
  // TokenReview: authenticated for the audiences asked (the API server's own by default) that
  // the token was issued for.
  const auto asked = spec.value("audiences", std::vector<std::string>{});
  const std::string bearer = "Bearer " + spec.value("token", "");
  std::lock_guard lock(cluster.mutex);
  std::optional<UserInfo> user;
  Json matched = Json::array();
  for (const std::string& audience :
       asked.empty() ? std::vector<std::string>{kTokenIssuer} : asked) {
    if (auto found = tokens.Authenticate(bearer, cluster.store(), audience)) {
      user = std::move(found);
      matched.push_back(audience);
    }
  }
  review["status"] =
      user ? Json{{"authenticated", true}, {"user", UserInfoJson(*user)}, {"audiences", matched}}
           : Json{{"authenticated", false}};
  return JsonResponse(201, review);
}

}  // namespace

HttpResponse Review(Cluster& cluster, const TokenAuthority& tokens, const ResourceRequest& req) {
  try {
    return req.subresource == "token" ? TokenRequestResponse(cluster, tokens, req)
                                      : Answer(cluster, tokens, req);
  } catch (const Json::type_error& e) {
    return ErrorResponse(
        BadRequest(std::string("a field of the request has the wrong type: ") + e.what()));
  }
}

}  // namespace kubeemu
