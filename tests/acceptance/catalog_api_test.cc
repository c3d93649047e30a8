// Issue 5 acceptance of the catalog's Template routes (create, patch, delete, list from the watch
// cache, schema checks before the cluster) and of who may call what: users read templates,
// repositories and the catalog, only admins change repositories (admins and operators templates),
// and repository secrets appear in no answer and no log.
#include <catch2/catch.hpp>

#include "catalog_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

std::string KubectlTemplate(PlatformStack& stack, const std::string& name,
                            const std::string& jsonpath) {
  const auto [status, output] =
      stack.Kubectl("-n streamspace get tpl " + name + " -o jsonpath='" + jsonpath + "'");
  return status == 0 ? output : "(absent)";
}

}  // namespace

TEST_CASE("templates: create, patch, delete, list; invalid writes never reach the cluster",
          "[templates]") {
  PlatformStack stack(CatalogPlatform());
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();

  const json editor = {{"name", "editor"},
                       {"displayName", "Editor"},
                       {"description", "Edits code"},
                       {"category", "Development"},
                       {"baseImage", "codercom/code-server:4"},
                       {"appType", "webapp"},
                       {"tags", {"dev", "web"}},
                       {"defaultResources", {{"cpu", "1"}, {"memory", "2Gi"}}},
                       {"ports", {{{"name", "http"}, {"containerPort", 8080}}}},
                       {"webapp", {{"enabled", true}, {"port", 8080}, {"path", "/"}}}};
  const HttpResponse created = api.Post("/api/v1/templates", editor.dump(), admin.token);
  INFO(created.body);
  REQUIRE(created.status == 200);
  CHECK(created.Json()["name"] == "editor");
  CHECK(created.Json()["namespace"] == "streamspace");
  CHECK(created.Json()["defaultResources"] == json{{"cpu", "1"}, {"memory", "2Gi"}});
  CHECK(KubectlTemplate(stack, "editor", "{.spec.displayName} {.spec.ports[0].containerPort}") ==
        "Editor 8080");
  // The flat quantities are the resource's requests and limits.
  CHECK(KubectlTemplate(stack, "editor",
                        "{.spec.defaultResources.requests.cpu} "
                        "{.spec.defaultResources.limits.memory}") == "1 2Gi");
  CHECK(api.Post("/api/v1/templates", editor.dump(), admin.token).status == 409);

  // Each invalid write is refused with the reason, and the cluster has nothing of it.
  for (const auto& [change, message] : std::vector<std::pair<json, std::string>>{
           {{{"name", "bad-type"}, {"appType", "vm"}},
            "spec.appType: must be one of desktop, webapp"},
           {{{"name", "bad-image"}, {"baseImage", ""}}, ""},
           {{{"name", "Bad_Name"}}, "name must be a DNS label"},
           {{{"name", "bad-namespace"}, {"namespace", "kube-system"}}, "namespace must be"},
           {{{"name", "bad-cpu"}, {"defaultResources", {{"cpu", "lots"}}}},
            "cpu: must be a quantity"}}) {
    json body = editor;
    body.update(change);
    if (body["baseImage"] == "")
      body.erase("baseImage");
    const HttpResponse refused = api.Post("/api/v1/templates", body.dump(), admin.token);
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK(refused.Json()["message"].get<std::string>().find(message) != std::string::npos);
    CHECK(KubectlTemplate(stack, body["name"], "{.metadata.name}") == "(absent)");
  }

  // PATCH changes only what the body names; [] clears a list.
  const HttpResponse patched = api.Patch(
      "/api/v1/templates/editor", R"({"displayName": "Code Editor", "tags": []})", admin.token);
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  CHECK(patched.Json()["displayName"] == "Code Editor");
  CHECK(patched.Json()["tags"] == json::array());
  CHECK(patched.Json()["category"] == "Development");
  CHECK(patched.Json()["ports"][0]["containerPort"] == 8080);
  // A quantity given in defaultResources changes; the other stays.
  const HttpResponse resized =
      api.Patch("/api/v1/templates/editor", R"({"defaultResources": {"cpu": "2"}})", admin.token);
  REQUIRE(resized.status == 200);
  CHECK(resized.Json()["defaultResources"] == json{{"cpu", "2"}, {"memory", "2Gi"}});
  CHECK(KubectlTemplate(stack, "editor", "{.spec.displayName} {.spec.category}") ==
        "Code Editor Development");
  CHECK(api.Patch("/api/v1/templates/editor", R"({"appType": "vm"})", admin.token).status == 400);
  CHECK(
      api.Patch("/api/v1/templates/editor", R"({"ports": [{"name": "x"}]})", admin.token).status ==
      400);
  CHECK(KubectlTemplate(stack, "editor", "{.spec.appType}") == "webapp");
  CHECK(api.Patch("/api/v1/templates/nothing", R"({"icon": "x"})", admin.token).status == 404);

  // A Template applied with kubectl shows in the list (the watch cache); filters.
  stack.Apply(TemplateYaml("firefox"));
  REQUIRE(
      Eventually([&] { return api.Get("/api/v1/templates/firefox", alice.token).status == 200; }));
  const HttpResponse list = api.Get("/api/v1/templates", alice.token);
  REQUIRE(list.status == 200);
  CHECK(list.Json()["total"] == 2);
  const HttpResponse development = api.Get("/api/v1/templates?category=Development", alice.token);
  REQUIRE(development.Json()["templates"].size() == 1);
  CHECK(development.Json()["templates"][0]["name"] == "editor");
  const std::string next =
      api.Get("/api/v1/templates?pageSize=1", alice.token).Json()["nextPageToken"];
  REQUIRE_FALSE(next.empty());
  const json second = api.Get("/api/v1/templates?pageSize=1&pageToken=" + next, alice.token).Json();
  CHECK(second["templates"].size() == 1);
  CHECK(second.value("nextPageToken", "").empty());

  REQUIRE(api.Delete("/api/v1/templates/editor", admin.token).status == 200);
  CHECK(KubectlTemplate(stack, "editor", "{.metadata.name}") == "(absent)");
  CHECK(api.Get("/api/v1/templates/editor", alice.token).status == 404);
  CHECK(api.Delete("/api/v1/templates/editor", admin.token).status == 404);
}

TEST_CASE("users read, only admins change repositories; secrets never in answers or logs",
          "[admin-only]") {
  PlatformStack stack(CatalogPlatform());
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();
  const std::string token = "ghp_" + RandomString(36);
  const std::string webhook_secret = "whsec-" + RandomString(24);
  stack.Remember(token);
  stack.Remember(webhook_secret);

  GitRepository git;
  git.Write("firefox.yaml", TemplateManifest("firefox", "Firefox", "Web", {"web"}));
  const std::string commit = git.Commit("one");
  const json body = {{"name", "Private templates"}, {"url", git.url()},
                     {"authType", "token"},         {"username", "deploy-bot"},
                     {"authSecret", token},         {"webhookSecret", webhook_secret}};
  const HttpResponse created = api.Post("/api/v1/catalog/repositories", body.dump(), admin.token);
  INFO(created.body);
  REQUIRE(created.status == 200);
  const int id = created.Json()["id"];
  const std::string path = "/api/v1/catalog/repositories/" + std::to_string(id);
  CHECK(created.Json()["hasSecret"] == true);
  CHECK(created.Json()["hasWebhookSecret"] == true);
  CHECK(created.Json()["authType"] == "token");
  WaitSynced(api, admin.token, id, commit);
  CHECK(api.Post("/api/v1/catalog/repositories", body.dump(), admin.token).status == 409);
  const int entry = Browse(api, alice.token)["templates"][0]["id"];

  // Every write and the sync runs refuse a user with 403, and a missing token with 401.
  const std::vector<std::tuple<std::string, std::string, std::string>> admin_only = {
      {"GET", path + "/syncs", ""},
      {"POST", "/api/v1/templates", R"({"name": "x", "displayName": "X", "baseImage": "x"})"},
      {"PATCH", "/api/v1/templates/firefox", R"({"displayName": "X"})"},
      {"DELETE", "/api/v1/templates/firefox", ""},
      {"POST", "/api/v1/catalog/repositories", R"({"name": "x", "url": "file:///tmp"})"},
      {"DELETE", path, ""},
      {"POST", path + "/sync", ""},
      {"POST", "/api/v1/catalog/sync", ""},
      {"POST", "/api/v1/catalog/templates/" + std::to_string(entry) + "/install", ""},
  };
  for (const auto& [method, target, payload] : admin_only) {
    for (const std::string& caller : {alice.token, std::string()}) {
      HttpRequest request;
      request.method = method;
      request.target = target;
      request.body = payload;
      request.headers["content-type"] = "application/json";
      if (!caller.empty())
        request.headers["authorization"] = "Bearer " + caller;
      const HttpResponse refused = api.Send(request);
      INFO(method << " " << target << ": " << refused.body);
      CHECK(refused.status == (caller.empty() ? 401 : 403));
    }
  }
  CHECK(KubectlTemplate(stack, "firefox", "{.metadata.name}") == "(absent)");
  CHECK(api.Get(path, admin.token).Json()["name"] == "Private templates");

  // Everyone reads repositories (users without the credentials' user name), users browse, and no
  // answer carries a secret.
  std::vector<HttpResponse> reads = {api.Get("/api/v1/catalog/repositories", admin.token),
                                     api.Get(path, admin.token),
                                     api.Get(path + "/syncs", admin.token),
                                     api.Get("/api/v1/catalog/repositories", alice.token),
                                     api.Get(path, alice.token),
                                     api.Get("/api/v1/catalog/templates", alice.token),
                                     api.Get("/api/v1/templates", alice.token),
                                     created};
  for (const HttpResponse& read : reads) {
    INFO(read.body);
    CHECK(read.status == 200);
    CHECK(read.body.find(token) == std::string::npos);
    CHECK(read.body.find(webhook_secret) == std::string::npos);
  }
  CHECK(reads[0].Json()["repositories"][0]["hasSecret"] == true);
  CHECK(reads[1].Json()["username"] == "deploy-bot");
  CHECK(reads[3].Json()["repositories"][0]["name"] == "Private templates");
  CHECK(reads[3].Json()["repositories"][0]["username"] == "");
  CHECK(reads[4].Json()["username"] == "");

  // Bad input is refused without leaving a repository behind.
  for (const json& bad : {json{{"name", ""}, {"url", git.url()}},
                          json{{"name", std::string(101, 'x')}, {"url", git.url()}},
                          json{{"name", "tab\there"}, {"url", git.url()}}, json{{"name", "nourl"}},
                          json{{"name", "creds"}, {"url", "https://u:p@example.org/r.git"}},
                          json{{"name", "ssh"}, {"url", "ssh://git@example.org/r.git"}},
                          json{{"name", "nosecret"}, {"url", git.url()}, {"authType", "token"}},
                          json{{"name", "branch"}, {"url", git.url()}, {"branch", "../x"}},
                          json{{"name", "often"}, {"url", git.url()}, {"syncInterval", "1s"}}}) {
    const HttpResponse refused = api.Post("/api/v1/catalog/repositories", bad.dump(), admin.token);
    INFO(bad.dump() << ": " << refused.body);
    CHECK(refused.status == 400);
  }
  CHECK(api.Get("/api/v1/catalog/repositories", admin.token).Json()["total"] == 1);

  REQUIRE(api.Delete(path, admin.token).status == 200);
  CHECK(api.Get(path, admin.token).status == 404);
  CHECK(Browse(api, admin.token)["total"] == 0);
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
