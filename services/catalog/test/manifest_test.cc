#include "manifest.h"

#include <catch2/catch.hpp>

namespace ss::catalog {
namespace {

constexpr const char* kFirefox = R"(apiVersion: stream.streamspace.io/v1alpha1
kind: Template
metadata:
  name: firefox
spec:
  displayName: Firefox
  description: A web browser
  category: Web Browsers
  baseImage: lscr.io/linuxserver/firefox:latest
  appType: desktop
  defaultResources:
    requests: {cpu: 500m, memory: 1Gi}
    limits: {cpu: 2, memory: 2Gi}
  vnc: {enabled: true, port: 3000}
  tags: [browser, web]
)";

// The older public catalog's shape: another apiVersion, kasmvnc and flat resources.
constexpr const char* kLegacy = R"(apiVersion: stream.space/v1alpha1
kind: Template
metadata:
  name: gimp
spec:
  displayName: GIMP
  category: Design
  baseImage: lscr.io/linuxserver/gimp:latest
  defaultResources:
    cpu: 1
    memory: 2Gi
  kasmvnc:
    enabled: true
    port: 3000
  tags: [graphics, 2024]
  sessionTimeout: 30m
)";

ParsedManifests Parse(const std::string& text, ManifestLimits limits = {}) {
  return ParseManifestFile("templates/x.yaml", text, limits);
}

}  // namespace

TEST_CASE("a Template manifest of the current schema is taken as it is") {
  const auto parsed = Parse(kFirefox);
  REQUIRE(parsed.skipped.empty());
  REQUIRE(parsed.templates.size() == 1);
  const auto& entry = parsed.templates[0];
  CHECK(entry.name == "firefox");
  CHECK(entry.path == "templates/x.yaml");
  CHECK(entry.spec["defaultResources"]["requests"]["cpu"] == "500m");
  CHECK(entry.spec["defaultResources"]["limits"]["cpu"] == "2");
  CHECK(entry.spec["vnc"]["port"] == 3000);
  CHECK(entry.spec["tags"] == nlohmann::json({"browser", "web"}));
}

TEST_CASE("older manifests: stream.space apiVersion, kasmvnc, flat resources, unknown fields") {
  const auto parsed = Parse(kLegacy);
  REQUIRE(parsed.skipped.empty());
  REQUIRE(parsed.templates.size() == 1);
  const auto& spec = parsed.templates[0].spec;
  CHECK(spec["vnc"]["enabled"] == true);
  CHECK_FALSE(spec.contains("kasmvnc"));
  CHECK(spec["defaultResources"] ==
        nlohmann::json::parse(R"({"requests": {"cpu": "1", "memory": "2Gi"},
                                  "limits": {"cpu": "1", "memory": "2Gi"}})"));
  CHECK(spec["tags"] == nlohmann::json({"graphics", "2024"}));
  CHECK_FALSE(spec.contains("sessionTimeout"));  // pruned, as the API server prunes
}

TEST_CASE("documents that are not Templates are skipped with a reason") {
  const auto parsed = Parse(std::string(kFirefox) + "---\napiVersion: v1\nkind: ConfigMap\n" +
                            "metadata: {name: x}\n---\ntemplates: [a, b]\n---\n- 1\n");
  REQUIRE(parsed.templates.size() == 1);
  REQUIRE(parsed.skipped.size() == 3);
  CHECK(parsed.skipped[0].path == "templates/x.yaml#2");
  CHECK(parsed.skipped[0].reason == "not a Template (kind ConfigMap)");
  CHECK(parsed.skipped[1].reason == "not a Template (no kind)");
  CHECK(parsed.skipped[2].reason == "not a Template (not a mapping)");
}

TEST_CASE("schema violations, bad names and unknown apiVersions are skipped with a reason") {
  const std::string head = "apiVersion: stream.streamspace.io/v1alpha1\nkind: Template\n";
  auto parsed = Parse(head + "metadata: {name: a}\nspec: {displayName: A}\n");
  REQUIRE(parsed.skipped.size() == 1);
  CHECK(parsed.skipped[0].reason == "spec.baseImage: is required");
  parsed = Parse(head + "metadata: {name: a}\nspec: {displayName: A, baseImage: x, appType: vm}\n");
  CHECK(parsed.skipped.at(0).reason == "spec.appType: must be one of desktop, webapp");
  parsed = Parse(head +
                 "metadata: {name: a}\nspec: {displayName: A, baseImage: x, ports: "
                 "[{containerPort: http}]}\n");
  CHECK(parsed.skipped.at(0).reason == "spec.ports[0].containerPort: must be an integer");
  parsed = Parse(head + "metadata: {name: Bad_Name}\nspec: {displayName: A, baseImage: x}\n");
  CHECK(parsed.skipped.at(0).reason.find("metadata.name") == 0);
  parsed = Parse("apiVersion: example.com/v1\nkind: Template\nmetadata: {name: a}\n");
  CHECK(parsed.skipped.at(0).reason == "unsupported apiVersion example.com/v1");
  parsed = Parse("key: [unclosed\n");
  CHECK(parsed.skipped.at(0).reason.find("malformed YAML") == 0);
  CHECK(Parse("").skipped.at(0).reason == "empty file");
}

TEST_CASE("an alias bomb stops at the node bound") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    const char previous = static_cast<char>(level - 1);
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i)
      bomb += std::string(i ? ", " : "") + "*" + previous;
    bomb += "]\n";
  }
  const auto parsed = Parse(bomb);
  REQUIRE(parsed.skipped.size() == 1);
  CHECK(parsed.skipped[0].reason.find("more than 20000 YAML nodes") == 0);
}

TEST_CASE("deep nesting and large files are skipped") {
  const std::string deep = std::string(200, '[') + std::string(200, ']') + "\n";
  auto parsed = Parse(deep);
  REQUIRE(parsed.skipped.size() == 1);
  CHECK(parsed.skipped[0].reason == "nested deeper than 32 levels");
  // Far deeper than yaml-cpp's own guard: refused by the parser, not a stack overflow.
  parsed = Parse(std::string(100'000, '[') + "\n");
  REQUIRE(parsed.skipped.size() == 1);
  CHECK(parsed.skipped[0].reason == "nested deeper than the YAML parser allows");
  ManifestLimits small;
  small.max_file_bytes = 100;
  parsed = Parse(kFirefox, small);
  CHECK(parsed.skipped.at(0).reason == "larger than 100 bytes");
}

TEST_CASE("manifest paths") {
  CHECK(IsManifestPath("a/b.yaml"));
  CHECK(IsManifestPath("b.yml"));
  CHECK_FALSE(IsManifestPath("README.md"));
  CHECK_FALSE(IsManifestPath("yaml"));
}

}  // namespace ss::catalog
