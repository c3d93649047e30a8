// The Kubernetes REST API of the emulator: routing, and one handler per verb.
#pragma once

#include <string>

#include "cluster.h"
#include "http_types.h"
#include "identity.h"
#include "status.h"

namespace kubeemu {

// Answers every HTTP request of the API server.
class ApiServer {
 public:
  // `admin_token` authenticates as a member of system:masters; ServiceAccount tokens issued
  // through the TokenRequest API are authorized by RBAC.
  ApiServer(Cluster& cluster, std::string admin_token, bool gone_as_event)
      : cluster_(cluster), tokens_(std::move(admin_token)), gone_as_event_(gone_as_event) {}

  // Handles one request; may return a streamed response (watch, log follow). A handler that
  // throws answers 500 InternalError instead of taking the process down.
  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Route(const HttpRequest& request);

  Cluster& cluster_;
  TokenAuthority tokens_;
  bool gone_as_event_;
};

// A request for a resource (collection, object or subresource), once the path is parsed.
struct ResourceRequest {
  const HttpRequest& http;
  ResourceType type;
  std::string ns;
  std::string name;
  std::string subresource;
  bool watch = false;
  bool gone_as_event = false;
  UserInfo user;  // who asks, after impersonation

  ErrorSubject Subject() const { return {type.group, type.plural, name}; }
  bool WantsTable() const { return http.Header("accept").find("as=Table") != std::string::npos; }
};

// The patch media types accepted for custom resources (built-ins add strategic merge patch).
inline constexpr const char* kPatchTypes =
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

HttpResponse JsonResponse(int status, const Json& body);
HttpResponse ErrorResponse(const ApiError& error);

// Decodes a request body as the API server does, expecting an object of `kind` in `api_version`;
// null with `error` set when it cannot.
Json DecodeBody(const ResourceRequest& req, const std::string& kind, const std::string& api_version,
                ApiError& error);

HttpResponse GetObject(Cluster& cluster, const ResourceRequest& req);
HttpResponse ListObjects(Cluster& cluster, const ResourceRequest& req);
HttpResponse WatchObjects(Cluster& cluster, const ResourceRequest& req);
HttpResponse CreateObject(Cluster& cluster, const ResourceRequest& req);
HttpResponse ReplaceObject(Cluster& cluster, const ResourceRequest& req);
HttpResponse PatchObject(Cluster& cluster, const ResourceRequest& req);
HttpResponse DeleteObject(Cluster& cluster, const ResourceRequest& req);
HttpResponse DeleteCollection(Cluster& cluster, const ResourceRequest& req);

HttpResponse PodLog(Cluster& cluster, const ResourceRequest& req);
HttpResponse EvictPod(Cluster& cluster, const ResourceRequest& req);
HttpResponse ScaleSubresource(Cluster& cluster, const ResourceRequest& req);
HttpResponse Metrics(Cluster& cluster, const ResourceRequest& req);
// Access reviews, token reviews and the TokenRequest subresource of ServiceAccounts.
HttpResponse Review(Cluster& cluster, const TokenAuthority& tokens, const ResourceRequest& req);

// Gives an object of a built-in kind the metadata, spec and status objects (and pod template
// and container list) that controllers and printers read, whatever a client sent.
void EnsureShape(const ResourceType& type, Json& object);
// Server-side defaults of a new object of a built-in kind (pod status, service IP, ...).
void ApplyCreateDefaults(const ResourceType& type, Json& object);
// Status the API server itself maintains (a CRD's Established condition, ...).
void ApplyServerStatus(const ResourceType& type, Json& object);

// Replaces an object after its update was validated: keeps status or spec as the subresource
// asks, bumps generation, enforces resourceVersion and finishes deletions whose finalizers are
// gone. Returns the response. The caller holds the cluster lock.
HttpResponse CommitUpdate(Cluster& cluster, const ResourceRequest& req, const Json& existing,
                          Json updated);

}  // namespace kubeemu
