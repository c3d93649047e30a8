#include <regex>

#include "api.h"
#include "patch.h"
#include "schema_validation.h"

namespace kubeemu {
namespace {

// Schema checks of a custom resource; applies the `fieldValidation` policy to unknown fields.
std::optional<ApiError> CheckSchema(const ResourceRequest& req, Json& object) {
  if (req.type.schema.is_null()) {
    return std::nullopt;
  }
  const SchemaReport report = ValidateAndPrune(object, req.type.schema);
  const std::string name = object["metadata"].value("name", "");
  if (!report.unknown_fields.empty() && req.http.Param("fieldValidation") == "Strict") {
    std::string message = ".";
    for (const auto& f : report.unknown_fields) {
      message += (message == "." ? "" : ", ") + std::string("unknown field \"") + f + "\"";
    }
    return BadRequest(req.type.kind + " in version \"" + req.type.version +
                      "\" cannot be handled as a " + req.type.kind +
                      ": strict decoding error: " + message.substr(1));
  }
  if (!report.causes.empty()) {
    return Invalid(req.type.group, req.type.kind, name, report.causes);
  }
  return std::nullopt;
}

std::optional<ApiError> CheckMetadata(const ResourceRequest& req, const Json& object) {
  const std::string name = object["metadata"].value("name", "");
  static const std::regex kDnsSubdomain(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  if (name.empty()) {
    return Invalid(req.type.group, req.type.kind, name,
                   Json::array({{{"reason", "FieldValueRequired"},
                                 {"message", "Required value: name or generateName is required"},
                                 {"field", "metadata.name"}}}));
  }
  for (const char* map : {"labels", "annotations"}) {
    const Json* values = FindPath(object, std::string("metadata.") + map);
    const bool strings =
        values == nullptr || values->is_null() ||
        (values->is_object() &&
         std::all_of(values->begin(), values->end(), [](const Json& v) { return v.is_string(); }));
    if (!strings) {
      return BadRequest(req.type.kind + " in version \"" + req.type.version +
                        "\" cannot be handled as a " + req.type.kind +
                        ": json: cannot unmarshal into Go struct field ObjectMeta.metadata." + map +
                        " of type string");
    }
  }
  if (name.size() > 253 || !std::regex_match(name, kDnsSubdomain)) {
    return Invalid(
        req.type.group, req.type.kind, name,
        Json::array({{{"reason", "FieldValueInvalid"},
                      {"message", "Invalid value: \"" + name +
                                      "\": a lowercase RFC 1123 subdomain must consist of lower "
                                      "case alphanumeric characters, '-' or '.', and must start "
                                      "and end with an alphanumeric character"},
                      {"field", "metadata.name"}}}));
  }
  return std::nullopt;
}

bool SameSpec(const Json& a, const Json& b) {
  Json x = a;
  Json y = b;
  for (Json* o : {&x, &y}) {
    o->erase("status");
    o->erase("metadata");
  }
  return x == y;
}

}  // namespace

HttpResponse CreateObject(Cluster& cluster, const ResourceRequest& req) {
  ApiError error;
  Json object = DecodeBody(req, req.type.kind, req.type.GroupVersion(), error);
  if (object.is_null()) {
    return ErrorResponse(error);
  }
  Json& meta = object["metadata"];
  if (meta.value("name", "").empty() && !meta.value("generateName", "").empty()) {
    meta["name"] = meta["generateName"].get<std::string>() + RandomSuffix(5);
  }
  if (auto e = CheckMetadata(req, object)) {
    return ErrorResponse(*e);
  }
  if (req.type.namespaced) {
    const std::string body_ns = meta.value("namespace", "");
    if (!body_ns.empty() && body_ns != req.ns) {
      return ErrorResponse(BadRequest(
          "the namespace of the provided object does not match the namespace sent on the request"));
    }
    meta["namespace"] = req.ns;
  } else {
    meta.erase("namespace");
  }
  if (auto e = CheckSchema(req, object)) {
    return ErrorResponse(*e);
  }
  std::lock_guard lock(cluster.mutex);
  const std::string name = meta["name"];
  if (req.type.namespaced && cluster.store().Get("/namespaces", "", req.ns) == nullptr) {
    return ErrorResponse(NotFound({"", "namespaces", req.ns}));
  }
  if (cluster.store().Get(req.type.Key(), req.ns, name) != nullptr) {
    return ErrorResponse(AlreadyExists({req.type.group, req.type.plural, name}));
  }
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta["uid"] = NewUuid();
  meta["creationTimestamp"] = NowRfc3339();
  if (req.type.kind != "Pod") {
    meta["generation"] = 1;
  }
  if (!req.type.schema.is_null() && req.type.HasSubresource("status")) {
    object.erase("status");
  }
  ApplyCreateDefaults(req.type, object);
  ApplyServerStatus(req.type, object);
  if (req.http.Param("dryRun") == "All") {
    return JsonResponse(201, object);
  }
  return JsonResponse(201, cluster.Put(req.type, std::move(object)));
}

HttpResponse CommitUpdate(Cluster& cluster, const ResourceRequest& req, const Json& existing,
                          Json updated) {
  Json& meta = updated["metadata"];
  const Json& old_meta = existing["metadata"];
  const std::string rv = meta.value("resourceVersion", "");
  if (!rv.empty() && rv != old_meta.value("resourceVersion", "")) {
    return ErrorResponse(Conflict(req.Subject()));
  }
  for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp", "namespace", "name"}) {
    if (old_meta.contains(key)) {
      meta[key] = old_meta[key];
    } else {
      meta.erase(key);
    }
  }
  const bool has_status = req.type.HasSubresource("status");
  if (req.subresource == "status") {
    Json merged = existing;
    merged["status"] = updated.value("status", Json::object());
    merged["metadata"] = meta;
    updated = std::move(merged);
  } else if (has_status) {
    if (existing.contains("status")) {
      updated["status"] = existing["status"];
    } else {
      updated.erase("status");
    }
  }
  if (old_meta.contains("generation")) {
    updated["metadata"]["generation"] =
        old_meta.value("generation", 1) + (SameSpec(existing, updated) ? 0 : 1);
  }
  EnsureShape(req.type, updated);
  ApplyServerStatus(req.type, updated);
  if (req.http.Param("dryRun") == "All") {
    return JsonResponse(200, updated);
  }
  if (updated["metadata"].contains("deletionTimestamp") &&
      updated["metadata"].value("finalizers", Json::array()).empty()) {
    cluster.store().Put(req.type.Key(), updated);
    return JsonResponse(200, cluster.Delete(req.type.Key(), req.ns, req.name));
  }
  if (updated == existing) {
    return JsonResponse(200, existing);
  }
  return JsonResponse(200, cluster.Put(req.type, std::move(updated)));
}

HttpResponse ReplaceObject(Cluster& cluster, const ResourceRequest& req) {
  ApiError error;
  Json object = DecodeBody(req, req.type.kind, req.type.GroupVersion(), error);
  if (object.is_null()) {
    return ErrorResponse(error);
  }
  const std::string body_name = object["metadata"].value("name", "");
  if (body_name != req.name) {
    return ErrorResponse(BadRequest("the name of the object (" + body_name +
                                    ") does not match the name on the URL (" + req.name + ")"));
  }
  if (auto e = CheckMetadata(req, object)) {
    return ErrorResponse(*e);
  }
  if (auto e = CheckSchema(req, object)) {
    return ErrorResponse(*e);
  }
  std::lock_guard lock(cluster.mutex);
  const Json* existing = cluster.store().Get(req.type.Key(), req.ns, req.name);
  if (existing == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  return CommitUpdate(cluster, req, *existing, std::move(object));
}

HttpResponse PatchObject(Cluster& cluster, const ResourceRequest& req) {
  const std::string content_type = req.http.Header("content-type");
  const Json patch = Json::parse(req.http.body, nullptr, false);
  if (patch.is_discarded()) {
    return ErrorResponse(
        BadRequest("error decoding patch: invalid character looking for beginning of value"));
  }
  const bool strategic = content_type.starts_with("application/strategic-merge-patch+json");
  const bool merge = content_type.starts_with("application/merge-patch+json");
  const bool json_patch = content_type.starts_with("application/json-patch+json");
  // Server-side apply, approximated: create when absent, else merge the applied configuration
  // in (strategically for built-in kinds). Field ownership and conflicts are not tracked.
  const bool apply = content_type.starts_with("application/apply-patch+yaml");
  if ((strategic && !req.type.schema.is_null()) ||
      (!strategic && !merge && !json_patch && !apply)) {
    return ErrorResponse(UnsupportedMediaType(kPatchTypes));
  }
  std::unique_lock lock(cluster.mutex);
  const Json* existing = cluster.store().Get(req.type.Key(), req.ns, req.name);
  if (existing == nullptr && apply) {
    lock.unlock();
    return CreateObject(cluster, req);
  }
  if (existing == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  Json updated;
  if (apply) {
    updated = req.type.schema.is_null() ? ApplyStrategicMergePatch(*existing, patch)
                                        : ApplyMergePatch(*existing, patch);
  } else if (json_patch) {
    std::string error;
    auto result = ApplyJsonPatch(*existing, patch, error);
    if (!result) {
      return ErrorResponse(Invalid(
          req.type.group, req.type.kind, req.name,
          Json::array({{{"reason", "FieldValueInvalid"}, {"message", error}, {"field", ""}}})));
    }
    updated = std::move(*result);
  } else if (merge) {
    updated = ApplyMergePatch(*existing, patch);
  } else {
    updated = ApplyStrategicMergePatch(*existing, patch);
  }
  if (!updated.is_object() || !updated["metadata"].is_object()) {
    return ErrorResponse(BadRequest("the patch produced an object without metadata"));
  }
  if (patch.is_object() && !FindPath(patch, "metadata.resourceVersion")) {
    updated["metadata"]["resourceVersion"] = (*existing)["metadata"]["resourceVersion"];
  }
  if (auto e = CheckMetadata(req, updated)) {
    return ErrorResponse(*e);
  }
  if (auto e = CheckSchema(req, updated)) {
    return ErrorResponse(*e);
  }
  return CommitUpdate(cluster, req, *existing, std::move(updated));
}

}  // namespace kubeemu
