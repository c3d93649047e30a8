#include "discovery.h"

namespace kubeemu {
namespace {

struct SubresourceInfo {
  std::string group;
  std::string version;
  std::string kind;
  std::vector<std::string> verbs;
};

SubresourceInfo DescribeSubresource(const ResourceType& t, const std::string& sub) {
  if (sub == "scale") {
    return {"autoscaling", "v1", "Scale", {"get", "patch", "update"}};
  }
  if (sub == "eviction") {
    return {"policy", "v1", "Eviction", {"create"}};
  }
  if (sub == "log") {
    return {"", "v1", "Pod", {"get"}};
  }
  if (sub == "token") {
    return {"authentication.k8s.io", "v1", "TokenRequest", {"create"}};
  }
  return {t.group, t.version, t.kind, {"get", "patch", "update"}};
}

// Version order: the group's served versions as registered, preferred first.
std::vector<std::pair<std::string, std::vector<std::string>>> NonCoreGroups(
    const ResourceRegistry& registry) {
  auto groups = registry.Groups();
  std::erase_if(groups, [](const auto& g) { return g.first.empty(); });
  return groups;
}

}  // namespace

Json VersionInfo() {
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", "v1.32.4"},
          {"gitCommit", "59526cd4867447956156ae3a602fcbac10a2c335"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-04-22T16:03:48Z"},
          {"goVersion", "go1.23.6"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

Json LegacyCoreVersions() {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}})}};
}

Json LegacyGroupList(const ResourceRegistry& registry) {
  Json groups = Json::array();
  for (const auto& [group, versions] : NonCoreGroups(registry)) {
    Json list = Json::array();
    for (const auto& v : versions) {
      list.push_back({{"groupVersion", group + "/" + v}, {"version", v}});
    }
    groups.push_back({{"name", group}, {"versions", list}, {"preferredVersion", list[0]}});
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

Json ResourceList(const ResourceRegistry& registry, const std::string& group,
                  const std::string& version) {
  const auto types = registry.InGroupVersion(group, version);
  if (types.empty()) {
    return nullptr;
  }
  Json resources = Json::array();
  for (const ResourceType* t : types) {
    Json r = {{"name", t->plural},
              {"singularName", t->singular},
              {"namespaced", t->namespaced},
              {"kind", t->kind},
              {"verbs", t->verbs}};
    if (!t->short_names.empty()) {
      r["shortNames"] = t->short_names;
    }
    if (!t->categories.empty()) {
      r["categories"] = t->categories;
    }
    resources.push_back(std::move(r));
    for (const auto& sub : t->subresources) {
      const SubresourceInfo info = DescribeSubresource(*t, sub);
      Json s = {{"name", t->plural + "/" + sub},
                {"singularName", ""},
                {"namespaced", t->namespaced},
                {"kind", info.kind},
                {"verbs", info.verbs}};
      if (info.group != t->group || info.version != t->version) {
        s["group"] = info.group;
        s["version"] = info.version;
      }
      resources.push_back(std::move(s));
    }
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group.empty() ? version : group + "/" + version},
          {"resources", std::move(resources)}};
}

Json AggregatedDiscovery(const ResourceRegistry& registry, bool core) {
  Json items = Json::array();
  auto groups = core ? std::vector<std::pair<std::string, std::vector<std::string>>>{{"", {"v1"}}}
                     : NonCoreGroups(registry);
  for (const auto& [group, versions] : groups) {
    Json version_list = Json::array();
    for (const auto& v : versions) {
      Json resources = Json::array();
      for (const ResourceType* t : registry.InGroupVersion(group, v)) {
        Json r = {
            {"resource", t->plural},
            {"responseKind", {{"group", t->group}, {"version", t->version}, {"kind", t->kind}}},
            {"scope", t->namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", t->singular},
            {"verbs", t->verbs}};
        if (!t->short_names.empty()) {
          r["shortNames"] = t->short_names;
        }
        if (!t->categories.empty()) {
          r["categories"] = t->categories;
        }
        Json subs = Json::array();
        for (const auto& sub : t->subresources) {
          const SubresourceInfo info = DescribeSubresource(*t, sub);
          subs.push_back({{"subresource", sub},
                          {"responseKind",
                           {{"group", info.group}, {"version", info.version}, {"kind", info.kind}}},
                          {"verbs", info.verbs}});
        }
        if (!subs.empty()) {
          r["subresources"] = std::move(subs);
        }
        resources.push_back(std::move(r));
      }
      version_list.push_back({{"version", v}, {"resources", resources}, {"freshness", "Current"}});
    }
    items.push_back({{"metadata", {{"name", group}, {"creationTimestamp", nullptr}}},
                     {"versions", std::move(version_list)}});
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", Json::object()},
          {"items", std::move(items)}};
}

}  // namespace kubeemu
