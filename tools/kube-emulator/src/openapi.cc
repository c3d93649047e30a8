#include "openapi.h"

namespace kubeemu {
namespace {

std::string DocPath(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

// "stream.streamspace.io" -> "io.streamspace.stream", as Kubernetes names definitions.
std::string ReverseDomain(const std::string& group) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= group.size()) {
    const size_t dot = group.find('.', start);
    parts.push_back(group.substr(start, dot - start));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out += (out.empty() ? "" : ".") + *it;
  }
  return out;
}

Json QueryParam(const std::string& name, const std::string& type) {
  return {{"name", name}, {"in", "query"}, {"schema", {{"type", type}, {"uniqueItems", true}}}};
}

Json Operation(const ResourceType& t, const std::string& action, const std::string& id,
               const Json& extra_params) {
  return {{"operationId", id},
          {"x-kubernetes-action", action},
          {"x-kubernetes-group-version-kind",
           {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
          {"parameters", extra_params},
          {"responses", {{"200", {{"description", "OK"}}}}}};
}

Json ResourceSchema(const ResourceType& t) {
  Json schema = t.schema.is_object() ? t.schema : Json::object();
  if (schema.empty()) {
    schema = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  }
  schema["x-kubernetes-group-version-kind"] =
      Json::array({{{"group", t.group}, {"version", t.version}, {"kind", t.kind}}});
  return schema;
}

}  // namespace

Json OpenApiIndex(const ResourceRegistry& registry) {
  Json paths = Json::object();
  for (const auto& [group, versions] : registry.Groups()) {
    for (const auto& v : versions) {
      const std::string path = DocPath(group, v);
      const std::string hash = ShortHash(OpenApiDocument(registry, path).dump());
      paths[path] = {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash}};
    }
  }
  return {{"paths", std::move(paths)}};
}

Json OpenApiDocument(const ResourceRegistry& registry, const std::string& group_version_path) {
  for (const auto& [group, versions] : registry.Groups()) {
    for (const auto& v : versions) {
      if (DocPath(group, v) != group_version_path) {
        continue;
      }
      Json paths = Json::object();
      Json schemas = Json::object();
      const Json write_params =
          Json::array({QueryParam("dryRun", "string"), QueryParam("fieldManager", "string"),
                       QueryParam("fieldValidation", "string")});
      Json patch_params = write_params;
      patch_params.push_back(QueryParam("force", "boolean"));
      for (const ResourceType* t : registry.InGroupVersion(group, v)) {
        const std::string base = "/" + group_version_path +
                                 (t->namespaced ? "/namespaces/{namespace}/" : "/") + t->plural;
        const std::string id = t->kind + t->version;
        paths[base] = {{"get", Operation(*t, "list", "list" + id, Json::array())},
                       {"post", Operation(*t, "post", "create" + id, write_params)}};
        paths[base + "/{name}"] = {
            {"get", Operation(*t, "get", "read" + id, Json::array())},
            {"put", Operation(*t, "put", "replace" + id, write_params)},
            {"patch", Operation(*t, "patch", "patch" + id, patch_params)},
            {"delete", Operation(*t, "delete", "delete" + id, Json::array())}};
        if (t->HasSubresource("status")) {
          paths[base + "/{name}/status"] = {
              {"patch", Operation(*t, "patch", "patchStatus" + id, patch_params)}};
        }
        if (!t->schema.is_null()) {
          schemas[ReverseDomain(t->group) + "." + t->version + "." + t->kind] = ResourceSchema(*t);
        }
      }
      return {{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.32.4"}}},
              {"paths", std::move(paths)},
              {"components", {{"schemas", std::move(schemas)}}}};
    }
  }
  return nullptr;
}

}  // namespace kubeemu
