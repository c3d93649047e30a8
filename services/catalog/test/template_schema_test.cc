#include "template_schema.h"

#include <catch2/catch.hpp>

#include "rpc/page_token.h"
#include "template_object.h"
#include "validation.h"

namespace ss::catalog {

using nlohmann::json;

TEST_CASE("flat resources become requests and limits; given ones stay") {
  json spec = json::parse(R"({"defaultResources": {"cpu": 2, "memory": "4Gi"}})");
  NormalizeCatalogSpec(spec);
  CHECK(spec["defaultResources"] == json::parse(R"({"requests": {"cpu": "2", "memory": "4Gi"},
                                                  "limits": {"cpu": "2", "memory": "4Gi"}})"));
  spec = json::parse(R"({"defaultResources": {"requests": {"cpu": 0.5}, "memory": "1Gi"}})");
  NormalizeCatalogSpec(spec);
  CHECK(spec["defaultResources"] == json::parse(R"({"requests": {"cpu": "0.5", "memory": "1Gi"},
                                                  "limits": {"memory": "1Gi"}})"));
  spec = json::parse(R"({"vnc": {"port": 5900}, "kasmvnc": {"port": 3000}})");
  NormalizeCatalogSpec(spec);
  CHECK(spec == json::parse(R"({"vnc": {"port": 5900}})"));
}

TEST_CASE("the schema check prunes unknown fields and names the first problem") {
  json spec = json::parse(R"({"displayName": "A", "baseImage": "x", "extra": 1,
                              "vnc": {"enabled": true, "colour": "blue"}})");
  CHECK_FALSE(CheckTemplateSpec(spec).has_value());
  CHECK(spec == json::parse(R"({"displayName": "A", "baseImage": "x", "vnc": {"enabled": true}})"));
  spec = json::parse(R"({"displayName": "A", "baseImage": "x",
                         "defaultResources": {"limits": {"cpu": "two"}}})");
  CHECK(CheckTemplateSpec(spec) ==
        "spec.defaultResources.limits.cpu: must be a quantity such as \"500m\" or \"2Gi\"");
  spec = json::parse(R"({"displayName": "A", "baseImage": "x", "env": [{"value": "1"}]})");
  CHECK(CheckTemplateSpec(spec) == "spec.env[0].name: is required");
  spec = json::parse(R"({"displayName": "A", "baseImage": "x", "tags": "a,b"})");
  CHECK(CheckTemplateSpec(spec) == "spec.tags: must be a list");
  spec = json::parse(R"({"displayName": "A", "baseImage": "x",
                         "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s"}}}]})");
  CHECK_FALSE(CheckTemplateSpec(spec).has_value());
  CHECK(spec["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "s");
}

TEST_CASE("a resource quantity is checked by Kubernetes' grammar, not by its characters") {
  for (const char* quantity : {"1..5", "Mi", "1e3Ki", "1Mm", "kk"}) {
    CAPTURE(quantity);
    json spec = {{"displayName", "A"},
                 {"baseImage", "x"},
                 {"defaultResources", {{"requests", {{"memory", quantity}}}}}};
    CHECK(CheckTemplateSpec(spec).has_value());
  }
  json spec = json::parse(R"({"displayName": "A", "baseImage": "x",
      "defaultResources": {"requests": {"cpu": "1.5", "memory": "1e9", "gpu": 1}}})");
  CHECK_FALSE(CheckTemplateSpec(spec).has_value());
}

TEST_CASE("Template resources and messages convert both ways") {
  const json object = json::parse(R"({
    "metadata": {"name": "firefox", "namespace": "streamspace",
                 "creationTimestamp": "2026-01-01T00:00:00Z"},
    "spec": {"displayName": "Firefox", "baseImage": "firefox:1", "appType": "desktop",
             "defaultResources": {"requests": {"cpu": 1}, "limits": {"memory": "2Gi"}},
             "ports": [{"name": "vnc", "containerPort": 3000}], "tags": ["web"],
             "unknown": true},
    "status": {"valid": true, "message": "ok"}})");
  const auto message = TemplateFromObject(object);
  CHECK(message.name() == "firefox");
  CHECK(message.namespace_() == "streamspace");
  CHECK(message.created_at() == "2026-01-01T00:00:00Z");
  // Flat: the request, else the limit.
  CHECK(message.default_resources().cpu() == "1");
  CHECK(message.default_resources().memory() == "2Gi");
  CHECK(message.ports(0).container_port() == 3000);
  CHECK(message.status().valid());
  json spec = SpecOf(message);
  CHECK(spec == json::parse(R"({"displayName": "Firefox", "baseImage": "firefox:1",
      "appType": "desktop", "defaultResources": {"requests": {"cpu": "1", "memory": "2Gi"},
      "limits": {"cpu": "1", "memory": "2Gi"}}, "ports": [{"name": "vnc", "containerPort": 3000}],
      "tags": ["web"]})"));
  CHECK_FALSE(CheckTemplateSpec(spec).has_value());
  const json created = TemplateObject("streamspace", "firefox", spec, {{"a", "b"}});
  CHECK(created["apiVersion"] == "stream.streamspace.io/v1alpha1");
  CHECK(created["metadata"]["labels"]["a"] == "b");

  // A flat quantity given replaces both sides; the others stay.
  json gpu = json::parse(R"({"defaultResources": {"requests": {"cpu": "1", "nvidia.com/gpu": "1"},
                                                   "limits": {"memory": "1Gi"}}})");
  streamspace::catalog::v1::TemplateResources memory;
  memory.set_memory("4Gi");
  ApplyFlatResources(memory, gpu);
  CHECK(gpu == json::parse(R"({"defaultResources": {
      "requests": {"cpu": "1", "nvidia.com/gpu": "1", "memory": "4Gi"},
      "limits": {"memory": "4Gi"}}})"));
  json none = json::object();
  ApplyFlatResources({}, none);
  CHECK(none == json::object());
}

TEST_CASE("urls, branches and pages") {
  CHECK(CheckRepositoryUrl("https://github.com/org/templates.git", false).ok());
  CHECK_FALSE(CheckRepositoryUrl("https://user:pw@github.com/org/t.git", false).ok());
  CHECK_FALSE(CheckRepositoryUrl("http://github.com/org/t.git", false).ok());
  CHECK_FALSE(CheckRepositoryUrl("file:///srv/templates", false).ok());
  CHECK(CheckRepositoryUrl("file:///srv/templates", true).ok());
  CHECK(CheckRepositoryUrl("/srv/templates", true).ok());
  CHECK_FALSE(CheckRepositoryUrl("ssh://git@host/x", true).ok());
  CHECK_FALSE(CheckRepositoryUrl("https://host/a b", true).ok());
  CHECK(CheckBranch("main").ok());
  CHECK(CheckBranch("release/1.2").ok());
  CHECK_FALSE(CheckBranch("../etc").ok());
  CHECK_FALSE(CheckBranch("-x").ok());
  CHECK_FALSE(CheckBranch("a b").ok());
  int offset = 0;
  int limit = 0;
  CHECK(PageBounds(0, "", &offset, &limit).ok());
  CHECK(limit == 50);
  const auto token = [](const char* offset) { return rpc::EncodePageToken({offset}); };
  CHECK(PageBounds(500, token("20"), &offset, &limit).ok());
  CHECK(offset == 20);
  CHECK_FALSE(PageBounds(501, "", &offset, &limit).ok());
  CHECK(PageBounds(10, "20", &offset, &limit).error_message() == "pageToken is not valid");
  CHECK_FALSE(PageBounds(10, token("x"), &offset, &limit).ok());
  CHECK_FALSE(PageBounds(10, token("-1"), &offset, &limit).ok());
  CHECK(PageBounds(500, token("10000000"), &offset, &limit).ok());
  CHECK(offset == 10'000'000);
  CHECK_FALSE(PageBounds(500, token("10000001"), &offset, &limit).ok());
  CHECK_FALSE(PageBounds(500, token("2147483647"), &offset, &limit).ok());
  CHECK_FALSE(PageBounds(500, token("99999999999"), &offset, &limit).ok());
  CHECK(NextPageToken(0, 50, 50).empty());
  REQUIRE(PageBounds(50, NextPageToken(0, 50, 51), &offset, &limit).ok());
  CHECK(offset == 50);
  CHECK(CheckBranch("a~b").error_message() == "branch is not a valid git branch name");
  CHECK(rpc::IsUuid("123e4567-e89b-12d3-a456-426614174000"));
  CHECK_FALSE(rpc::IsUuid("123e4567e89b12d3a456426614174000"));
}

}  // namespace ss::catalog
