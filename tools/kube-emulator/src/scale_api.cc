#include "api.h"
#include "patch.h"

namespace kubeemu {
namespace {

Json ScaleOf(const Json& object) {
  const Json& meta = object["metadata"];
  std::string selector;
  const Json match_labels =
      object["spec"].value("selector", Json::object()).value("matchLabels", Json::object());
  for (const auto& [k, v] : match_labels.items()) {
    selector += (selector.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  }
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata",
           {{"name", meta["name"]},
            {"namespace", meta.value("namespace", "")},
            {"uid", meta["uid"]},
            {"resourceVersion", meta["resourceVersion"]},
            {"creationTimestamp", meta["creationTimestamp"]}}},
          {"spec", {{"replicas", object["spec"].value("replicas", 1)}}},
          {"status",
           {{"replicas", object.value("status", Json::object()).value("replicas", 0)},
            {"selector", selector}}}};
}

}  // namespace

HttpResponse ScaleSubresource(Cluster& cluster, const ResourceRequest& req) {
  const std::string& method = req.http.method;
  if (method != "GET" && method != "PUT" && method != "PATCH") {
    return ErrorResponse(MethodNotAllowed());
  }
  std::lock_guard lock(cluster.mutex);
  const Json* existing = cluster.store().Get(req.type.Key(), req.ns, req.name);
  if (existing == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  const Json scale = ScaleOf(*existing);
  if (method == "GET") {
    return JsonResponse(200, scale);
  }
  const Json body = Json::parse(req.http.body, nullptr, false);
  if (body.is_discarded()) {
    return ErrorResponse(BadRequest("couldn't get version/kind; json parse error"));
  }
  Json updated_scale;
  if (method == "PUT") {
    if (body.value("kind", "") != "Scale") {
      return ErrorResponse(BadRequest(body.value("kind", "") + " in version \"" +
                                      body.value("apiVersion", "") +
                                      "\" cannot be handled as a Scale"));
    }
    updated_scale = body;
  } else {
    const std::string type = req.http.Header("content-type");
    if (type.starts_with("application/json-patch+json")) {
      std::string error;
      auto patched = ApplyJsonPatch(scale, body, error);
      if (!patched) {
        return ErrorResponse(BadRequest(error));
      }
      updated_scale = std::move(*patched);
    } else if (type.starts_with("application/merge-patch+json")) {
      updated_scale = ApplyMergePatch(scale, body);
    } else if (type.starts_with("application/strategic-merge-patch+json")) {
      updated_scale = ApplyStrategicMergePatch(scale, body);
    } else {
      return ErrorResponse(UnsupportedMediaType(kPatchTypes));
    }
  }
  const std::string rv = updated_scale["metadata"].value("resourceVersion", "");
  if (!rv.empty() && rv != (*existing)["metadata"].value("resourceVersion", "")) {
    return ErrorResponse(Conflict(req.Subject()));
  }
  const Json* replicas = FindPath(updated_scale, "spec.replicas");
  if (replicas == nullptr || !replicas->is_number_integer() || replicas->get<long>() < 0) {
    return ErrorResponse(
        Invalid("autoscaling", "Scale", req.name,
                Json::array({{{"reason", "FieldValueInvalid"},
                              {"message", "Invalid value: must be greater than or equal to 0"},
                              {"field", "spec.replicas"}}})));
  }
  Json updated = *existing;
  if (updated["spec"].value("replicas", 1) != replicas->get<long>()) {
    updated["spec"]["replicas"] = *replicas;
    updated["metadata"]["generation"] = updated["metadata"].value("generation", 1) + 1;
    return JsonResponse(200, ScaleOf(cluster.Put(req.type, std::move(updated))));
  }
  return JsonResponse(200, scale);
}

}  // namespace kubeemu
