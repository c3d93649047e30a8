// The template, catalog and repository calls of api.ts (listTemplates ... deleteRepository), made
// as the UI makes them, with the fields its pages read: Catalog.tsx (installed templates by
// `name`; the marketplace's displayName, description, category, appType, tags), Dashboard.tsx
// (how many templates and repositories), Repositories.tsx (id, name, url, branch, status,
// templateCount, lastSync; add, sync, sync all, delete). Ids print as JSON numbers. Every
// signed-in user reads templates, repositories and the catalog; only admins change repositories,
// admins and operators templates and installs; no answer carries a repository's secret.
#include <catch2/catch.hpp>

#include "catalog_support.h"
#include "session_support.h"
#include "ui_contract.h"

namespace ss::test {
namespace {

using nlohmann::json;

// What Repositories.tsx and Dashboard.tsx read of a repository.
void RequireRepositoryShape(json repository) {
  INFO(repository.dump());
  CHECK(repository["id"].is_number_integer());
  CHECK(repository["name"].is_string());
  CHECK(repository["url"].is_string());
  CHECK(repository["branch"] == "main");
  CHECK(repository["authType"].is_string());
  CHECK(repository["lastSync"].is_string());
  CHECK(repository["templateCount"].is_number_integer());
  CHECK(repository["status"].is_string());
  CHECK(repository["errorMessage"].is_string());
  CHECK_FALSE(repository.value("createdAt", "").empty());
  CHECK_FALSE(repository.value("updatedAt", "").empty());
}

// What Catalog.tsx's marketplace reads of a catalog template, and the rest of api.ts's type.
void RequireCatalogTemplateShape(json entry) {
  INFO(entry.dump());
  CHECK(entry["id"].is_number_integer());
  CHECK(entry["name"].is_string());
  CHECK(entry["displayName"].is_string());
  CHECK(entry["description"].is_string());
  CHECK(entry["category"].is_string());
  CHECK(entry["icon"].is_string());
  CHECK(entry["appType"] == "desktop");
  CHECK(entry["manifest"].get<std::string>().find("\"kind\": \"Template\"") != std::string::npos);
  CHECK(entry["tags"].is_array());
  CHECK(entry["installCount"].is_number_integer());
  CHECK(entry["repository"]["name"].is_string());
  CHECK(entry["repository"]["url"].is_string());
}

// What Catalog.tsx's installed templates read, and the rest of api.ts's type.
void RequireTemplateShape(json tmpl) {
  INFO(tmpl.dump());
  CHECK(tmpl["name"].is_string());
  CHECK(tmpl["namespace"] == "streamspace");
  CHECK(tmpl["displayName"].is_string());
  CHECK(tmpl["description"].is_string());
  CHECK(tmpl["category"].is_string());
  CHECK(tmpl["appType"].is_string());
  CHECK(tmpl["icon"].is_string());
  CHECK(tmpl["baseImage"].is_string());
  CHECK(tmpl["defaultResources"]["cpu"].is_string());
  CHECK(tmpl["defaultResources"]["memory"].is_string());
  CHECK(tmpl["tags"].is_array());
  CHECK_FALSE(tmpl.value("createdAt", "").empty());
}

// The entry named `name` of a listCatalogTemplates answer.
json CatalogEntry(const json& listing, const std::string& name) {
  for (const json& entry : listing["templates"]) {
    if (entry["name"] == name)
      return entry;
  }
  FAIL("no catalog template " << name << " in " << listing.dump());
  return nullptr;
}

}  // namespace

TEST_CASE("templates, the catalog and repositories as the UI calls them", "[catalog]") {
  PlatformOptions options = UiPlatform();
  AllowLocalRepositories(options);
  PlatformStack stack(options);
  ApplyFirefox(stack);
  auto api = stack.Api();
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  const Session olivia = NewUserWithRole(stack, admin.token, "olivia", "operator");
  const std::string secret = "ghp_" + RandomString(36);
  stack.Remember(secret);
  // Every answer of this test, searched for the secret at the end.
  std::vector<HttpResponse> answers;
  const auto call = [&](const std::string& method, const std::string& path,
                        const std::string& token, const json& body = kNoBody) {
    answers.push_back(UiCall(api, method, path, token, body));
    return answers.back();
  };

  GitRepository community;
  community.Write("gimp.yaml", TemplateManifest("gimp", "GIMP", "Design", {"graphics"}, "Images"));
  community.Write("vscode.yaml",
                  TemplateManifest("vscode", "VS Code", "Development", {"editor", "ide"}));
  community.Commit("two templates");
  GitRepository private_templates;
  private_templates.Write("inkscape.yaml",
                          TemplateManifest("inkscape", "Inkscape", "Design", {"graphics"}));
  private_templates.Commit("one template");

  int community_id = 0;
  int private_id = 0;
  {
    INFO(ApiTs(382, "addRepository"));
    // The Repositories page's form: name, url, branch, authType.
    const json form = {{"name", "Community Templates"},
                       {"url", community.url()},
                       {"branch", "main"},
                       {"authType", "none"}};
    CHECK(call("POST", "/catalog/repositories", alice.token, form).status == 403);
    CHECK(call("POST", "/catalog/repositories", olivia.token, form).status == 403);
    const json added = Ok(call("POST", "/catalog/repositories", admin.token, form));
    REQUIRE(added["id"].is_number_integer());
    community_id = added["id"];
    // The rest of api.ts's body: a secret, which is never shown again.
    const json with_secret = {{"name", "Private"},
                              {"url", private_templates.url()},
                              {"branch", "main"},
                              {"authType", "token"},
                              {"authSecret", secret}};
    private_id = Ok(call("POST", "/catalog/repositories", admin.token, with_secret))["id"];
    CHECK(call("GET", "/catalog/repositories", alice.token).Json()["total"] == 2);
  }
  REQUIRE(community_id > 0);

  {
    INFO(ApiTs(377, "listRepositories"));
    // As Dashboard.tsx and Repositories.tsx do, as a plain user: both synced, in their shape.
    json listing;
    REQUIRE(Eventually(
        [&] {
          listing = Ok(call("GET", "/catalog/repositories", alice.token));
          int synced = 0;
          for (const json& repository : listing["repositories"])
            synced += repository["status"] == "synced" ? 1 : 0;
          return synced == 2;
        },
        std::chrono::seconds(30)));
    REQUIRE(listing["repositories"].size() == 2);
    for (const json& repository : listing["repositories"]) {
      RequireRepositoryShape(repository);
      CHECK_FALSE(repository["lastSync"].get<std::string>().empty());
      CHECK(repository["errorMessage"] == "");
    }
    const json& first = listing["repositories"][0];
    CHECK(first["id"] == community_id);
    CHECK(first["name"] == "Community Templates");
    CHECK(first["url"] == community.url());
    CHECK(first["authType"] == "none");
    CHECK(first["templateCount"] == 2);
    CHECK(listing["repositories"][1]["id"] == private_id);
    CHECK(listing["repositories"][1]["authType"] == "token");
  }

  // The rest waits for both syncs.
  REQUIRE(Eventually(
      [&] {
        return UiCall(api, "GET", "/catalog/templates", alice.token).Json().value("total", 0) == 3;
      },
      std::chrono::seconds(30)));

  {
    INFO(ApiTs(393, "syncRepository"));
    const std::string path = "/catalog/repositories/" + std::to_string(community_id) + "/sync";
    CHECK(call("POST", path, alice.token).status == 403);
    CHECK(call("POST", path, olivia.token).status == 403);
    CHECK(Ok(call("POST", path, admin.token))["queued"] == json::array({community_id}));
    CHECK(call("POST", "/catalog/repositories/999999/sync", admin.token).status == 404);
  }

  {
    INFO(ApiTs(397, "syncAllRepositories"));
    CHECK(call("POST", "/catalog/sync", alice.token).status == 403);
    CHECK(Ok(call("POST", "/catalog/sync", admin.token))["queued"].size() == 2);
  }

  {
    INFO(ApiTs(358, "listCatalogTemplates"));
    const json all = Ok(call("GET", "/catalog/templates", alice.token));
    CHECK(all["total"] == 3);
    for (const json& entry : all["templates"])
      RequireCatalogTemplateShape(entry);
    const json gimp = CatalogEntry(all, "gimp");
    CHECK(gimp["displayName"] == "GIMP");
    CHECK(gimp["description"] == "Images");
    CHECK(gimp["category"] == "Design");
    CHECK(gimp["tags"] == json::array({"graphics"}));
    CHECK(gimp["installCount"] == 0);
    CHECK(gimp["repository"]["name"] == "Community Templates");
    CHECK(gimp["repository"]["url"] == community.url());
    // ?category= and ?tag=, as useCatalogTemplates(category, tag) sends them.
    const json design = Ok(call("GET", "/catalog/templates?category=Design", alice.token));
    CHECK(design["total"] == 2);
    const json editors =
        Ok(call("GET", "/catalog/templates?category=Development&tag=editor", alice.token));
    REQUIRE(editors["templates"].size() == 1);
    CHECK(editors["templates"][0]["name"] == "vscode");
  }

  {
    INFO(ApiTs(369, "installCatalogTemplate"));
    const json all = Ok(call("GET", "/catalog/templates", alice.token));
    const int gimp = CatalogEntry(all, "gimp")["id"];
    const int vscode = CatalogEntry(all, "vscode")["id"];
    const std::string path = "/catalog/templates/" + std::to_string(gimp) + "/install";
    CHECK(call("POST", path, alice.token).status == 403);
    const json installed = Ok(call("POST", path, admin.token));
    CHECK(installed["name"] == "gimp");
    CHECK(installed["defaultResources"] == json{{"cpu", "500m"}, {"memory", "1Gi"}});
    CHECK(call("POST", path, admin.token).status == 409);
    // Operators install too.
    Ok(call("POST", "/catalog/templates/" + std::to_string(vscode) + "/install", olivia.token));
    CHECK(call("POST", "/catalog/templates/999999/install", admin.token).status == 404);
    // Each install counts once; the refused one does not.
    REQUIRE(Eventually([&] {
      const json after = UiCall(api, "GET", "/catalog/templates", alice.token).Json();
      return CatalogEntry(after, "gimp")["installCount"] == 1 &&
             CatalogEntry(after, "vscode")["installCount"] == 1;
    }));
    // The installed templates are what Catalog.tsx's first tab lists, beside firefox.
    REQUIRE(Eventually([&] {
      return UiCall(api, "GET", "/templates/gimp", alice.token).status == 200 &&
             UiCall(api, "GET", "/templates/vscode", alice.token).status == 200;
    }));
  }

  {
    INFO(ApiTs(334, "listTemplates"));
    // As Dashboard.tsx and Catalog.tsx do, with no category: firefox and the two installed.
    const json all = Ok(call("GET", "/templates", alice.token));
    REQUIRE(all["templates"].size() == 3);
    for (const json& tmpl : all["templates"])
      RequireTemplateShape(tmpl);
    CHECK(all["templates"][0]["name"] == "firefox");
    const json design = Ok(call("GET", "/templates?category=Design", alice.token));
    REQUIRE(design["templates"].size() == 1);
    CHECK(design["templates"][0]["name"] == "gimp");
    const json none = Ok(call("GET", "/templates?category=Nothing", alice.token));
    CHECK(none["templates"] == json::array());
  }

  {
    INFO(ApiTs(340, "getTemplate"));
    const json firefox = Ok(call("GET", "/templates/firefox", alice.token));
    RequireTemplateShape(firefox);
    CHECK(firefox["name"] == "firefox");
    // The resource's requests (its limits differ).
    CHECK(firefox["defaultResources"] == json{{"cpu", "500m"}, {"memory", "512Mi"}});
    CHECK(call("GET", "/templates/nothing", alice.token).status == 404);
  }

  {
    INFO(ApiTs(345, "createTemplate") + ", " + ApiTs(350, "deleteTemplate"));
    // A Partial<Template> as api.ts types it.
    const json editor = {{"name", "editor"},
                         {"displayName", "Editor"},
                         {"description", "Edits code"},
                         {"category", "Development"},
                         {"appType", "webapp"},
                         {"icon", "https://example.org/editor.png"},
                         {"baseImage", "codercom/code-server:4"},
                         {"defaultResources", {{"cpu", "1"}, {"memory", "2Gi"}}},
                         {"tags", {"dev"}}};
    CHECK(call("POST", "/templates", alice.token, editor).status == 403);
    const json created = Ok(call("POST", "/templates", olivia.token, editor));
    RequireTemplateShape(created);
    CHECK(created["defaultResources"] == json{{"cpu", "1"}, {"memory", "2Gi"}});
    const auto [status, printed] = stack.Kubectl(
        "-n streamspace get tpl editor -o jsonpath='{.spec.defaultResources.requests.cpu} "
        "{.spec.defaultResources.limits.memory}'");
    CHECK(status == 0);
    CHECK(printed == "1 2Gi");
    REQUIRE(Eventually(
        [&] { return UiCall(api, "GET", "/templates/editor", alice.token).status == 200; }));

    CHECK(call("DELETE", "/templates/editor", alice.token).status == 403);
    Ok(call("DELETE", "/templates/editor", olivia.token));
    CHECK(call("GET", "/templates/editor", alice.token).status == 404);
  }

  {
    INFO(ApiTs(401, "deleteRepository"));
    const std::string path = "/catalog/repositories/" + std::to_string(private_id);
    CHECK(call("DELETE", path, alice.token).status == 403);
    CHECK(call("DELETE", path, olivia.token).status == 403);
    Ok(call("DELETE", path, admin.token));
    const json listing = Ok(call("GET", "/catalog/repositories", alice.token));
    REQUIRE(listing["repositories"].size() == 1);
    CHECK(listing["repositories"][0]["id"] == community_id);
    CHECK(Ok(call("GET", "/catalog/templates", alice.token))["total"] == 2);
    CHECK(call("DELETE", path, admin.token).status == 404);
  }

  // No answer carried the repository's secret.
  for (const HttpResponse& answer : answers) {
    INFO(answer.body);
    CHECK(answer.body.find(secret) == std::string::npos);
  }
}

}  // namespace ss::test
