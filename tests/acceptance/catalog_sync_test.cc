// Issue 5 acceptance of the catalog's repositories: add, sync, browse, sort and install; commits
// that reach the catalog through a signed webhook; a hostile repository; two replicas.
#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "catalog_support.h"
#include "streamspace/catalog/v1/catalog.grpc.pb.h"

namespace ss::test {
namespace {

using nlohmann::json;

std::string Signature(const std::string& secret, const std::string& body) {
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string signature = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    signature.push_back(kHex[digest[i] >> 4]);
    signature.push_back(kHex[digest[i] & 0xf]);
  }
  return signature;
}

HttpResponse Webhook(HttpClient& api, const std::string& repository, const std::string& body,
                     const Headers& headers) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/webhooks/repository/sync?repository=" + repository;
  request.headers = headers;
  request.headers["content-type"] = "application/json";
  request.body = body;
  return api.Send(request);
}

std::string RepositoryPath(int id) {
  return "/api/v1/catalog/repositories/" + std::to_string(id);
}

json Repository(HttpClient& api, const std::string& token, int id) {
  const HttpResponse response = api.Get(RepositoryPath(id), token);
  REQUIRE(response.status == 200);
  return response.Json();
}

json Runs(HttpClient& api, const std::string& token, int id) {
  const HttpResponse response = api.Get(RepositoryPath(id) + "/syncs?pageSize=500", token);
  REQUIRE(response.status == 200);
  return response.Json();
}

std::string Reason(const json& repository, const std::string& path) {
  for (const auto& skipped : repository["skipped"]) {
    if (skipped["path"] == path)
      return skipped["reason"];
  }
  return "(not skipped)";
}

}  // namespace

TEST_CASE("add a repository, sync, browse, sort and install", "[browse]") {
  // With the session service, to start a session from the installed template.
  PlatformOptions options = CatalogPlatform();
  options.services.push_back(ServiceSpec{"session", 1, {}});
  options.services.push_back(ServiceSpec{"tracker", 1, {}});
  PlatformStack stack(options);
  const Session admin = stack.LoginAdmin();
  const Session alice = stack.NewUser("alice");
  auto api = stack.Api();

  GitRepository git;
  git.Write("browsers/firefox.yaml", TemplateManifest("firefox", "Firefox", "Web Browsers",
                                                      {"browser", "web"}, "Mozilla's browser"));
  git.Write("browsers/chromium.yml",
            TemplateManifest("chromium", "Chromium", "Web Browsers", {"browser"}));
  git.Write("dev/vscode.yaml",
            TemplateManifest("vscode", "Visual Studio Code", "Development", {"editor", "ide"},
                             "Code editing. Redefined.", "stream.space/v1alpha1"));
  git.Write("design/gimp.yaml", TemplateManifest("gimp", "GIMP", "Design", {"graphics"}));
  git.Write("catalog.yaml", "templates: [firefox, chromium, vscode, gimp]\n");
  git.Write("README.md", "# Templates\n");
  const std::string first = git.Commit("four templates");

  const json added = AddRepository(api, admin.token, "community", git.url());
  const int id = added["id"];
  CHECK(added["branch"] == "main");
  CHECK(added["authType"] == "none");
  const HttpResponse sync = api.Post(RepositoryPath(id) + "/sync", "", admin.token);
  REQUIRE(sync.status == 200);
  CHECK(sync.Json()["queued"] == json::array({id}));

  json repository = WaitSynced(api, admin.token, id, first);
  CHECK(repository["templateCount"] == 4);
  CHECK(Reason(repository, "catalog.yaml") == "not a Template (no kind)");
  CHECK(repository["skipped"].size() == 1);
  CHECK_FALSE(repository["lastSync"].get<std::string>().empty());

  // Browse, as a user.
  json browse = Browse(api, alice.token, "sort=name");
  CHECK(browse["total"] == 4);
  CHECK(Names(browse) == std::vector<std::string>{"chromium", "firefox", "gimp", "vscode"});
  CHECK(Names(Browse(api, alice.token, "category=Web%20Browsers&sort=name")) ==
        std::vector<std::string>{"chromium", "firefox"});
  CHECK(Names(Browse(api, alice.token, "tag=editor")) == std::vector<std::string>{"vscode"});
  CHECK(Names(Browse(api, alice.token, "search=studio")) == std::vector<std::string>{"vscode"});
  CHECK(Names(Browse(api, alice.token, "search=MOZILLA")) == std::vector<std::string>{"firefox"});
  CHECK(Names(Browse(api, alice.token, "category=Web%20Browsers&tag=web")) ==
        std::vector<std::string>{"firefox"});
  CHECK(Browse(api, alice.token, "search=nothing%20like%20this")["total"] == 0);
  const json page = Browse(api, alice.token, "sort=name&pageSize=3");
  CHECK(Names(page).size() == 3);
  const std::string next = page["nextPageToken"];
  REQUIRE_FALSE(next.empty());
  CHECK(Names(Browse(api, alice.token, "sort=name&pageSize=3&pageToken=" + next)) ==
        std::vector<std::string>{"vscode"});
  CHECK(api.Get("/api/v1/catalog/templates?sort=popularity", alice.token).status == 400);
  // The older schema's manifest is in, with its summary.
  const json vscode = Browse(api, alice.token, "search=vscode")["templates"][0];
  CHECK(vscode["baseImage"] == "lscr.io/linuxserver/vscode:latest");
  CHECK(vscode["appType"] == "desktop");
  CHECK(vscode["path"] == "dev/vscode.yaml");
  CHECK(vscode["repository"] == json{{"id", id}, {"name", "community"}, {"url", git.url()}});

  // Install: the Template resource exists for kubectl, with requests and limits.
  const json firefox = Browse(api, alice.token, "search=mozilla")["templates"][0];
  const std::string install =
      "/api/v1/catalog/templates/" + std::to_string(firefox["id"].get<int>()) + "/install";
  const HttpResponse installed = api.Post(install, "", admin.token);
  INFO(installed.body);
  REQUIRE(installed.status == 200);
  CHECK(installed.Json()["name"] == "firefox");
  const auto [status, printed] = stack.Kubectl(
      "-n streamspace get tpl firefox -o jsonpath='{.spec.displayName} "
      "{.spec.defaultResources.requests.cpu} {.spec.defaultResources.limits.memory}'");
  INFO(printed);
  REQUIRE(status == 0);
  CHECK(printed == "Firefox 500m 1Gi");
  const HttpResponse again = api.Post(install, "", admin.token);
  CHECK(again.status == 409);
  CHECK(IsStatusBody(again, 6));
  CHECK(api.Post("/api/v1/catalog/templates/999999/install", "", admin.token).status == 404);

  // The install count is 1 (the refused second install did not count) and sorts first.
  browse = Browse(api, alice.token, "sort=installs");
  CHECK(Names(browse).front() == "firefox");
  CHECK(browse["templates"][0]["installCount"] == 1);
  CHECK(browse["templates"][1]["installCount"] == 0);
  REQUIRE(
      Eventually([&] { return api.Get("/api/v1/templates/firefox", alice.token).status == 200; }));

  // Sessions can now be started from it.
  HttpResponse session;
  REQUIRE(Eventually([&] {
    session = api.Post("/api/v1/sessions", R"({"template": "firefox"})", alice.token);
    return session.status == 200;
  }));
  CHECK(session.Json()["template"] == "firefox");
  CHECK(session.Json()["resources"]["cpu"] == "500m");

  // Recency: an edited manifest is the newest entry.
  git.Write("design/gimp.yaml",
            TemplateManifest("gimp", "GIMP", "Design", {"graphics"}, "Edited."));
  const std::string second = git.Commit("edit gimp");
  REQUIRE(api.Post("/api/v1/catalog/sync", "", admin.token).status == 200);
  WaitSynced(api, admin.token, id, second);
  CHECK(Names(Browse(api, alice.token, "sort=recency")).front() == "gimp");
  CHECK(Browse(api, alice.token, "search=edited")["total"] == 1);
}

TEST_CASE("commits reach the catalog through a signed webhook; bad signatures change nothing",
          "[webhook]") {
  PlatformStack stack(CatalogPlatform());
  const Session admin = stack.LoginAdmin();
  auto api = stack.Api();
  const std::string secret = "whsec-" + RandomString(24);
  stack.Remember(secret);

  GitRepository git;
  git.Write("firefox.yaml", TemplateManifest("firefox", "Firefox", "Web Browsers", {"web"}));
  git.Write("gimp.yaml", TemplateManifest("gimp", "GIMP", "Design", {"graphics"}));
  const std::string first = git.Commit("two");
  const int id = AddRepository(api, admin.token, "hooked", git.url(), secret)["id"];
  const std::string hook = std::to_string(id);
  WaitSynced(api, admin.token, id, first);

  // Add vscode, edit gimp, remove firefox.
  git.Write("vscode.yaml", TemplateManifest("vscode", "VS Code", "Development", {"editor"}));
  git.Write("gimp.yaml", TemplateManifest("gimp", "GNU Image Manipulation", "Design", {"x"}));
  git.Remove("firefox.yaml");
  const std::string second = git.Commit("add, edit, remove");
  const std::string body = R"({"ref":"refs/heads/main","after":")" + second + R"("})";

  const size_t runs_before = Runs(api, admin.token, id)["total"];
  const HttpResponse unsigned_hook = Webhook(api, hook, body, {{"x-github-event", "push"}});
  CHECK(unsigned_hook.status == 401);
  CHECK(IsStatusBody(unsigned_hook, 16));
  CHECK(Webhook(api, hook, body, {{"x-hub-signature-256", Signature("wrong", body)}}).status ==
        401);
  CHECK(Webhook(api, hook, body + " ", {{"x-hub-signature-256", Signature(secret, body)}}).status ==
        401);
  CHECK(Webhook(api, hook, body, {{"x-gitlab-token", "wrong"}}).status == 401);
  CHECK(Webhook(api, "999999", body, {{"x-hub-signature-256", Signature(secret, body)}}).status ==
        404);
  CHECK(Webhook(api, "not-an-id", body, {}).status == 400);
  // Nothing changed: no sync ran or was queued, the catalog is the first commit's.
  json repository = Repository(api, admin.token, id);
  CHECK(repository["lastCommit"] == first);
  CHECK(repository["status"] == "synced");
  CHECK(Runs(api, admin.token, id)["total"] == runs_before);
  CHECK(Names(Browse(api, admin.token, "sort=name")) ==
        std::vector<std::string>{"firefox", "gimp"});

  // A ping is answered without a sync.
  const std::string ping = R"({"zen":"Keep it logically awesome."})";
  const HttpResponse pinged =
      Webhook(api, hook, ping,
              {{"x-github-event", "ping"}, {"x-hub-signature-256", Signature(secret, ping)}});
  REQUIRE(pinged.status == 200);
  CHECK(pinged.Json()["queued"] == false);

  const HttpResponse signed_hook =
      Webhook(api, hook, body,
              {{"x-github-event", "push"}, {"x-hub-signature-256", Signature(secret, body)}});
  INFO(signed_hook.body);
  REQUIRE(signed_hook.status == 200);
  CHECK(signed_hook.Json()["queued"] == true);
  repository = WaitSynced(api, admin.token, id, second);
  CHECK(repository["templateCount"] == 2);
  const json browse = Browse(api, admin.token, "sort=name");
  CHECK(Names(browse) == std::vector<std::string>{"gimp", "vscode"});
  CHECK(browse["templates"][0]["displayName"] == "GNU Image Manipulation");
  const json runs = Runs(api, admin.token, id)["syncs"];
  CHECK(runs[0]["trigger"] == "webhook");
  CHECK(runs[0]["status"] == "synced");

  // GitLab's token works as well.
  git.Write("chromium.yaml", TemplateManifest("chromium", "Chromium", "Web Browsers", {"web"}));
  const std::string third = git.Commit("chromium");
  REQUIRE(Webhook(api, hook, "{}", {{"x-gitlab-token", secret}}).status == 200);
  WaitSynced(api, admin.token, id, third);
  CHECK(Browse(api, admin.token)["total"] == 3);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("a hostile repository: good templates in, each bad file listed with its reason",
          "[hostile]") {
  PlatformStack stack(CatalogPlatform(
      1, {{"CATALOG_MAX_FILE_BYTES", "65536"}, {"CATALOG_MAX_REPO_BYTES", "262144"}}));
  const Session admin = stack.LoginAdmin();
  auto api = stack.Api();

  GitRepository git;
  git.Write("good/firefox.yaml", TemplateManifest("firefox", "Firefox", "Web", {"web"}));
  git.Write("good/gimp.yaml", TemplateManifest("gimp", "GIMP", "Design", {"graphics"}));
  git.Write("bad/malformed.yaml", "apiVersion: stream.streamspace.io/v1alpha1\nspec: [unclosed\n");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i)
      bomb += std::string(i ? ", " : "") + "*" + static_cast<char>(level - 1);
    bomb += "]\n";
  }
  git.Write("bad/bomb.yaml", bomb);
  git.Write("bad/deep.yaml", std::string(5000, '[') + std::string(5000, ']') + "\n");
  git.Write("bad/huge.yaml", std::string(100'000, '#') + "\n");
  git.Symlink("/etc/passwd", "bad/escape.yaml");
  git.Write("bad/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  git.Write("bad/invalid.yaml",
            "apiVersion: stream.streamspace.io/v1alpha1\nkind: Template\n"
            "metadata: {name: nobase}\nspec: {displayName: No image}\n");
  git.Write("more/duplicate.yaml", TemplateManifest("firefox", "Firefox again", "Web", {}));
  git.Write("catalog.yaml", "templates: [firefox, gimp]\n");
  git.Commit("hostile");
  const std::string commit =
      git.CommitRawEntry("..", TemplateManifest("escaped", "Escaped", "Web", {}));

  const int id = AddRepository(api, admin.token, "hostile", git.url())["id"];
  const json repository = WaitSynced(api, admin.token, id, commit);
  INFO(repository.dump(2));
  CHECK(Names(Browse(api, admin.token, "sort=name")) ==
        std::vector<std::string>{"firefox", "gimp"});
  CHECK(repository["templateCount"] == 2);
  CHECK(Reason(repository, "bad/malformed.yaml").rfind("malformed YAML", 0) == 0);
  CHECK(Reason(repository, "bad/bomb.yaml").find("YAML nodes (aliases expanded)") !=
        std::string::npos);
  CHECK(Reason(repository, "bad/deep.yaml") == "nested deeper than the YAML parser allows");
  CHECK(Reason(repository, "bad/huge.yaml") == "larger than 65536 bytes");
  CHECK(Reason(repository, "bad/escape.yaml") == "symbolic link (not followed)");
  CHECK(Reason(repository, "bad/configmap.yaml") == "not a Template (kind ConfigMap)");
  CHECK(Reason(repository, "bad/invalid.yaml") == "spec.baseImage: is required");
  CHECK(Reason(repository, "more/duplicate.yaml").rfind("duplicate name firefox", 0) == 0);
  CHECK(Reason(repository, "catalog.yaml") == "not a Template (no kind)");
  CHECK(Reason(repository, "?") == "unsafe path name in the tree");

  // A repository too large fails its sync with the reason, and serves nothing.
  GitRepository large;
  for (int i = 0; i < 5; ++i)
    large.Write("t" + std::to_string(i) + ".yaml", std::string(60'000, '#') + "\n");
  const std::string large_commit = large.Commit("large");
  const int large_id = AddRepository(api, admin.token, "large", large.url())["id"];
  json failed;
  REQUIRE(Eventually(
      [&] {
        failed = Repository(api, admin.token, large_id);
        return failed["status"] == "failed";
      },
      std::chrono::seconds(60)));
  CHECK(failed["errorMessage"] == "manifests larger than 262144 bytes in total");
  CHECK(Browse(api, admin.token, "repositoryId=" + std::to_string(large_id))["total"] == 0);
  (void)large_commit;
}

TEST_CASE("two replicas: the scheduled sync runs on one; concurrent syncs run one at a time",
          "[replicas]") {
  PlatformStack stack(CatalogPlatform(2, {{"SYNC_INTERVAL", "2s"}}));
  const Session admin = stack.LoginAdmin();
  auto api = stack.Api();
  GitRepository git;
  git.Write("firefox.yaml", TemplateManifest("firefox", "Firefox", "Web", {"web"}));
  const std::string commit = git.Commit("one");
  const int id = AddRepository(api, admin.token, "scheduled", git.url())["id"];
  WaitSynced(api, admin.token, id, commit);

  // Scheduled runs come, all from the one Lease holder.
  json runs;
  REQUIRE(Eventually(
      [&] {
        runs = Runs(api, admin.token, id)["syncs"];
        int scheduled = 0;
        for (const auto& run : runs)
          scheduled += run["trigger"] == "schedule" ? 1 : 0;
        return scheduled >= 3;
      },
      std::chrono::seconds(90)));
  std::set<std::string> schedulers;
  for (const auto& run : runs) {
    if (run["trigger"] == "schedule")
      schedulers.insert(run["runner"].get<std::string>());
  }
  INFO(runs.dump(2));
  CHECK(schedulers.size() == 1);

  // Sync requests to both replicas at once, with new commits meanwhile.
  std::vector<std::thread> callers;
  for (int replica = 0; replica < 2; ++replica) {
    callers.emplace_back([&, replica] {
      auto stub =
          streamspace::catalog::v1::CatalogService::NewStub(stack.Channel("catalog", replica));
      for (int i = 0; i < 10; ++i) {
        grpc::ClientContext context;
        context.AddMetadata("authorization", "Bearer " + admin.token);
        streamspace::catalog::v1::SyncRepositoryRequest request;
        request.set_id(id);
        streamspace::catalog::v1::SyncCatalogResponse response;
        const grpc::Status status = stub->SyncRepository(&context, request, &response);
        CHECK(status.ok());
      }
    });
  }
  git.Write("gimp.yaml", TemplateManifest("gimp", "GIMP", "Design", {"graphics"}));
  const std::string second = git.Commit("two");
  for (auto& caller : callers)
    caller.join();
  REQUIRE(api.Post(RepositoryPath(id) + "/sync", "", admin.token).status == 200);
  WaitSynced(api, admin.token, id, second);

  // No two runs overlap: sorted by start, each starts after the one before finished.
  REQUIRE(Eventually([&] {
    runs = Runs(api, admin.token, id)["syncs"];
    for (const auto& run : runs) {
      if (run["finishedAt"] == "")
        return false;
    }
    return true;
  }));
  std::vector<std::pair<std::string, std::string>> spans;
  for (const auto& run : runs)
    spans.emplace_back(run["startedAt"], run["finishedAt"]);
  std::sort(spans.begin(), spans.end());
  INFO(runs.dump(2));
  CHECK(spans.size() > 4);
  for (size_t i = 1; i < spans.size(); ++i)
    CHECK(spans[i].first >= spans[i - 1].second);
}

}  // namespace ss::test
