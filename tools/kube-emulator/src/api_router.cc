#include <spdlog/spdlog.h>

#include "api.h"
#include "discovery.h"
#include "openapi.h"
#include "protobuf_body.h"

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

HttpResponse Dispatch(Cluster& cluster, const ResourceRequest& req) {
  const std::string& method = req.http.method;
  if (!req.type.stored) {
    return method == "GET" ? Metrics(cluster, req) : ErrorResponse(MethodNotAllowed());
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
  if (request.Header("authorization") != "Bearer " + token_) {
    return ErrorResponse(Unauthorized());
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
  std::unique_lock lock(cluster_.mutex);
  const ResourceRegistry& registry = cluster_.registry();
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
                      gone_as_event_};
  if (!req.subresource.empty() && !type->HasSubresource(req.subresource)) {
    return ErrorResponse(PathNotFound());
  }
  lock.unlock();
  return Dispatch(cluster_, req);
}

}  // namespace kubeemu
