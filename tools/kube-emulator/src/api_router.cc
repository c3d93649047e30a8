#include <spdlog/spdlog.h>

#include "api.h"
#include "discovery.h"
#include "openapi.h"
#include "protobuf_body.h"
#include "rbac.h"

namespace kubeemu {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash - start);
    if (!part.empty()) {
      parts.push_back(part);
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return parts;
}

bool WantsAggregated(const HttpRequest& req) {
  const std::string accept = req.Header("accept");
  return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         accept.find("v=v2;") != std::string::npos;
}

HttpResponse Discovery(const Json& body, bool aggregated) {
  HttpResponse res = JsonResponse(200, body);
  if (aggregated) {
    res.content_type = kAggregatedDiscoveryType;
  }
  return res;
}

// The verb authorization checks for a request on a resource.
std::string ResourceVerb(const std::string& method, bool named, bool watch) {
  if (method == "GET" || method == "HEAD") {
    return watch ? "watch" : (named ? "get" : "list");
  }
  if (method == "DELETE") {
    return named ? "delete" : "deletecollection";
  }
  static const std::map<std::string, std::string> kVerbs = {
      {"POST", "create"}, {"PUT", "update"}, {"PATCH", "patch"}};
  const auto it = kVerbs.find(method);
  return it == kVerbs.end() ? "" : it->second;
}

// Applies the Impersonate-User, -Group and -Uid headers, once `user` may impersonate them.
std::optional<ApiError> Impersonate(const ObjectStore& store, const HttpRequest& request,
                                    UserInfo& user) {
  const std::string name = request.Header("impersonate-user");
  const std::string groups = request.Header("impersonate-group");
  const std::string uid = request.Header("impersonate-uid");
  if (name.empty()) {
    if (!groups.empty() || !uid.empty()) {
      return BadRequest("requested [" + groups + uid + "] without impersonating a user");
    }
    return std::nullopt;
  }
  UserInfo target{name, uid, {}};
  std::vector<RequestAttributes> checks;
  if (const auto account = ParseServiceAccountUser(name)) {
    checks.push_back(
        {"impersonate", true, "", "serviceaccounts", "", account->first, account->second, ""});
    if (groups.empty()) {
      target.groups = ServiceAccountUser(account->first, account->second, "").groups;
    }
  } else {
    checks.push_back({"impersonate", true, "", "users", "", "", name, ""});
  }
  size_t start = 0;
  while (start < groups.size()) {
    const size_t comma = std::min(groups.find(',', start), groups.size());
    const std::string group = groups.substr(start, comma - start);
    if (!group.empty()) {
      checks.push_back({"impersonate", true, "", "groups", "", "", group, ""});
      target.groups.push_back(group);
    }
    start = comma + 1;
  }
  if (!uid.empty()) {
    checks.push_back({"impersonate", true, "authentication.k8s.io", "uids", "", "", uid, ""});
  }
  for (const RequestAttributes& check : checks) {
    if (!Authorize(store, user, check).allowed) {
      return Forbidden(user, check);
    }
  }
  if (name != "system:anonymous" && std::find(target.groups.begin(), target.groups.end(),
                                              "system:authenticated") == target.groups.end()) {
    target.groups.push_back("system:authenticated");
  }
  user = std::move(target);
  return std::nullopt;
}

HttpResponse Dispatch(Cluster& cluster, const TokenAuthority& tokens, const ResourceRequest& req) {
  const std::string& method = req.http.method;
  if (req.subresource == "token") {
    return method == "POST" ? Review(cluster, tokens, req) : ErrorResponse(MethodNotAllowed());
  }
  if (!req.type.stored) {
    if (req.type.group == "metrics.k8s.io") {
      return method == "GET" ? Metrics(cluster, req) : ErrorResponse(MethodNotAllowed());
    }
    return method == "POST" && req.name.empty() ? Review(cluster, tokens, req)
                                                : ErrorResponse(MethodNotAllowed());
  }
  if (req.subresource == "log") {
    return method == "GET" ? PodLog(cluster, req) : ErrorResponse(MethodNotAllowed());
  }
  if (req.subresource == "eviction") {
    return method == "POST" ? EvictPod(cluster, req) : ErrorResponse(MethodNotAllowed());
  }
  if (req.subresource == "scale") {
    return ScaleSubresource(cluster, req);
  }
  if (!req.subresource.empty() && req.subresource != "status") {
    return ErrorResponse(PathNotFound());
  }
  if (req.name.empty()) {
    if (method == "GET") {
      return req.watch ? WatchObjects(cluster, req) : ListObjects(cluster, req);
    }
    if (method == "POST") {
      return CreateObject(cluster, req);
    }
    if (method == "DELETE") {
      return DeleteCollection(cluster, req);
    }
    return ErrorResponse(MethodNotAllowed());
  }
  if (method == "GET") {
    return req.watch ? WatchObjects(cluster, req) : GetObject(cluster, req);
  }
  if (method == "PUT") {
    return ReplaceObject(cluster, req);
  }
  if (method == "PATCH") {
    return PatchObject(cluster, req);
  }
  if (method == "DELETE" && req.subresource.empty()) {
    return DeleteObject(cluster, req);
  }
  return ErrorResponse(MethodNotAllowed());
}

}  // namespace

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.body = body.dump();
  return res;
}

HttpResponse ErrorResponse(const ApiError& error) {
  return JsonResponse(error.code, error.status);
}

Json DecodeBody(const ResourceRequest& req, const std::string& expected_kind,
                const std::string& expected_version, ApiError& error) {
  Json body = Json::parse(req.http.body, nullptr, false);
  if (body.is_discarded()) {
    error = BadRequest(
        "couldn't get version/kind; json parse error: invalid character looking for beginning of "
        "value");
    return nullptr;
  }
  if (!body.is_object()) {
    error = BadRequest("couldn't get version/kind; json parse error: json: cannot unmarshal " +
                       std::string(body.type_name()) + " into Go value of type struct");
    return nullptr;
  }
  const std::string kind = body.value("kind", "");
  const std::string api_version = body.value("apiVersion", "");
  if (kind.empty()) {
    error = BadRequest("Object 'Kind' is missing in '" + req.http.body + "'");
    return nullptr;
  }
  if (kind != expected_kind) {
    const std::string version = api_version.substr(api_version.find('/') + 1);
    error = BadRequest(kind + " in version \"" + version + "\" cannot be handled as a " +
                       expected_kind + ": no kind \"" + kind + "\" is registered for version \"" +
                       api_version + "\" in scheme \"k8s.io/apimachinery/pkg/runtime/scheme.go\"");
    return nullptr;
  }
  if (api_version != expected_version) {
    error = BadRequest("the API version in the data (" + api_version +
                       ") does not match the expected API version (" + expected_version + ")");
    return nullptr;
  }
  if (!body.contains("metadata") || !body["metadata"].is_object()) {
    body["metadata"] = Json::object();
  }
  return body;
}

HttpResponse ApiServer::Handle(const HttpRequest& request) {
  HttpResponse res;
  try {
    res = Route(request);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
    return ErrorResponse(InternalError(e.what()));
  }
  if (res.stream) {
    res.stream = [stream = std::move(res.stream)](StreamSink& sink) {
      try {
        stream(sink);
      } catch (const std::exception& e) {
        spdlog::error("stream failed: {}", e.what());
      }
    };
  }
  return res;
}

HttpResponse ApiServer::Route(const HttpRequest& request) {
  const std::string& path = request.path;
  if (path == "/healthz" || path == "/readyz" || path == "/livez") {
    return {200, "text/plain", "ok", {}, {}};
  }
  if (path == "/version") {
    return JsonResponse(200, VersionInfo());
  }
  // The administrator's token needs no lock (the hot path of tools and benchmarks); a
  // ServiceAccount's and impersonation read the store.
  std::unique_lock lock(cluster_.mutex, std::defer_lock);
  const std::string authorization = request.Header("authorization");
  std::optional<UserInfo> user;
  if (tokens_.IsAdmin(authorization)) {
    user = AdminUser();
  } else {
    lock.lock();
    user = tokens_.Authenticate(authorization, cluster_.store());
    if (!user) {
      return ErrorResponse(Unauthorized());
    }
  }
  if (!request.Header("impersonate-user").empty() || !request.Header("impersonate-group").empty() ||
      !request.Header("impersonate-uid").empty()) {
    if (!lock.owns_lock()) {
      lock.lock();
    }
    if (const auto error = Impersonate(cluster_.store(), request, *user)) {
      return ErrorResponse(*error);
    }
  }
  if (lock.owns_lock()) {
    lock.unlock();
  }
  // kubectl's typed generators send protobuf; the handlers read JSON.
  HttpRequest decoded;
  if (!request.body.empty() &&
      request.Header("content-type").starts_with("application/vnd.kubernetes.protobuf")) {
    const auto object = DecodeProtobufObject(request.body);
    if (!object) {
      return ErrorResponse(UnsupportedMediaType("application/json, application/yaml"));
    }
    decoded = request;
    decoded.body = object->dump();
    decoded.headers["content-type"] = "application/json";
  }
  const HttpRequest& effective = decoded.method.empty() ? request : decoded;
  std::vector<std::string> parts = SplitPath(path);
  lock.lock();
  const ResourceRegistry& registry = cluster_.registry();
  const bool resource_path =
      (parts.size() >= 3 && parts[0] == "api") || (parts.size() >= 4 && parts[0] == "apis");
  if (!resource_path) {
    std::string verb = request.method;
    std::transform(verb.begin(), verb.end(), verb.begin(), ::tolower);
    const RequestAttributes attributes{verb, false, "", "", "", "", "", path};
    if (!Authorize(cluster_.store(), *user, attributes).allowed) {
      return ErrorResponse(Forbidden(*user, attributes));
    }
  }
  if (parts.size() >= 2 && parts[0] == "openapi" && parts[1] == "v3") {
    if (parts.size() == 2) {
      return JsonResponse(200, OpenApiIndex(registry));
    }
    const std::string doc_path = path.substr(std::string("/openapi/v3/").size());
    const Json doc = OpenApiDocument(registry, doc_path);
    return doc.is_null() ? ErrorResponse(PathNotFound()) : JsonResponse(200, doc);
  }
  std::string group;
  size_t pos = 0;
  if (!parts.empty() && parts[0] == "api") {
    if (parts.size() == 1) {
      return Discovery(
          WantsAggregated(request) ? AggregatedDiscovery(registry, true) : LegacyCoreVersions(),
          WantsAggregated(request));
    }
    pos = 1;
  } else if (!parts.empty() && parts[0] == "apis") {
    if (parts.size() == 1) {
      return Discovery(WantsAggregated(request) ? AggregatedDiscovery(registry, false)
                                                : LegacyGroupList(registry),
                       WantsAggregated(request));
    }
    group = parts[1];
    pos = 2;
    if (parts.size() == 2) {
      for (const auto& [g, versions] : registry.Groups()) {
        if (g == group) {
          Json list = Json::array();
          for (const auto& v : versions) {
            list.push_back({{"groupVersion", g + "/" + v}, {"version", v}});
          }
          return JsonResponse(200, {{"kind", "APIGroup"},
                                    {"apiVersion", "v1"},
                                    {"name", g},
                                    {"versions", list},
                                    {"preferredVersion", list[0]}});
        }
      }
      return ErrorResponse(PathNotFound());
    }
  } else {
    return ErrorResponse(PathNotFound());
  }
  if (pos >= parts.size()) {
    return ErrorResponse(PathNotFound());
  }
  const std::string version = parts[pos++];
  if (pos == parts.size()) {
    const Json list = ResourceList(registry, group, version);
    return list.is_null() ? ErrorResponse(PathNotFound()) : JsonResponse(200, list);
  }
  bool watch = request.Param("watch") == "true" || request.Param("watch") == "1";
  if (parts[pos] == "watch") {
    watch = true;
    ++pos;
  }
  std::string ns;
  if (pos + 2 < parts.size() && parts[pos] == "namespaces") {
    const ResourceType* inner = registry.Find(group, version, parts[pos + 2]);
    if (inner != nullptr && inner->namespaced) {
      ns = parts[pos + 1];
      pos += 2;
    }
  }
  if (pos >= parts.size()) {
    return ErrorResponse(PathNotFound());
  }
  const ResourceType* type = registry.Find(group, version, parts[pos]);
  if (type == nullptr || parts.size() - pos > 3) {
    return ErrorResponse(PathNotFound());
  }
  ResourceRequest req{effective,
                      *type,
                      ns,
                      pos + 1 < parts.size() ? parts[pos + 1] : "",
                      pos + 2 < parts.size() ? parts[pos + 2] : "",
                      watch,
                      gone_as_event_,
                      {}};
  if (!req.subresource.empty() && !type->HasSubresource(req.subresource)) {
    return ErrorResponse(PathNotFound());
  }
  const RequestAttributes attributes{
      ResourceVerb(request.method, !req.name.empty(), watch),
      true,
      type->group,
      type->plural,
      req.subresource,
      type->plural == "namespaces" && type->group.empty() ? req.name : ns,
      req.name,
      path};
  if (!Authorize(cluster_.store(), *user, attributes).allowed) {
    return ErrorResponse(Forbidden(*user, attributes));
  }
  req.user = std::move(*user);
  lock.unlock();
  return Dispatch(cluster_, tokens_, req);
}

}  // namespace kubeemu
