#include "catalog_support.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

namespace ss::test {
namespace {

using nlohmann::json;

// One cache folder for every stack of this test process, removed when it ends.
const std::string& CacheDir() {
  static const TempDir dir("catalog-cache");
  static const std::string path = dir.path().string();
  return path;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

PlatformOptions CatalogPlatform(int replicas, const Environment& env) {
  PlatformOptions options;
  options.services.push_back(ServiceSpec{"catalog", replicas, env});
  AllowLocalRepositories(options);
  return options;
}

void AllowLocalRepositories(PlatformOptions& options) {
  for (ServiceSpec& service : options.services) {
    if (service.name == "catalog") {
      service.env.emplace("CATALOG_ALLOW_LOCAL_REPOS", "true");
      service.env.emplace("CATALOG_CACHE_DIR", CacheDir());
    }
  }
}

GitRepository::GitRepository() : dir_("catalog-repo"), path_(dir_.path().string()) {
  Git("init -q -b main");
}

std::string GitRepository::Git(const std::string& args) {
  const std::string command = "git -C " + Quote(path_) +
                              " -c user.name=test -c user.email=test@example.org " +
                              "-c commit.gpgsign=false " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    output.append(buffer, read);
  const int status = pclose(pipe);
  INFO(command << "\n" << output);
  REQUIRE(status == 0);
  return output;
}

void GitRepository::Write(const std::string& file, const std::string& content) {
  const std::filesystem::path target = std::filesystem::path(path_) / file;
  std::filesystem::create_directories(target.parent_path());
  std::ofstream(target, std::ios::binary) << content;
}

void GitRepository::Remove(const std::string& file) {
  Git("rm -q " + Quote(file));
}

void GitRepository::Symlink(const std::string& target, const std::string& link) {
  std::filesystem::create_symlink(target, std::filesystem::path(path_) / link);
}

std::string GitRepository::Commit(const std::string& message) {
  Git("add -A");
  Git("commit -q --allow-empty -m " + Quote(message));
  return Trim(Git("rev-parse HEAD"));
}

std::string GitRepository::CommitRawEntry(const std::string& name, const std::string& content) {
  const std::filesystem::path blob_file = std::filesystem::path(path_) / ".git" / "raw-entry";
  std::ofstream(blob_file, std::ios::binary) << content;
  const std::string blob = Trim(Git("hash-object -w " + Quote(blob_file.string())));
  const std::string listing = Git("ls-tree HEAD") + "100644 blob " + blob + "\t" + name + "\n";
  const std::filesystem::path listing_file = std::filesystem::path(path_) / ".git" / "raw-tree";
  std::ofstream(listing_file, std::ios::binary) << listing;
  const std::string tree = Trim(Git("mktree < " + Quote(listing_file.string())));
  const std::string commit = Trim(Git("commit-tree " + tree + " -p HEAD -m 'raw entry'"));
  Git("update-ref refs/heads/main " + commit);
  return commit;
}

std::string TemplateManifest(const std::string& name, const std::string& display_name,
                             const std::string& category, const std::vector<std::string>& tags,
                             const std::string& description, const std::string& api_version) {
  std::string tag_list;
  for (const auto& tag : tags)
    tag_list += (tag_list.empty() ? "" : ", ") + tag;
  return "apiVersion: " + api_version + "\nkind: Template\nmetadata:\n  name: " + name +
         "\nspec:\n  displayName: " + display_name + "\n  description: \"" + description +
         "\"\n  category: " + category + "\n  baseImage: lscr.io/linuxserver/" + name +
         ":latest\n  appType: desktop\n  defaultResources:\n    cpu: 500m\n    memory: 1Gi\n" +
         "  vnc:\n    enabled: true\n    port: 3000\n  tags: [" + tag_list + "]\n";
}

json AddRepository(HttpClient& api, const std::string& token, const std::string& name,
                   const std::string& url, const std::string& webhook_secret) {
  json body = {{"name", name}, {"url", url}};
  if (!webhook_secret.empty())
    body["webhookSecret"] = webhook_secret;
  const HttpResponse response = api.Post("/api/v1/catalog/repositories", body.dump(), token);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return response.Json();
}

json WaitSynced(HttpClient& api, const std::string& token, int id, const std::string& commit) {
  json repository;
  const bool synced = Eventually(
      [&] {
        const HttpResponse response =
            api.Get("/api/v1/catalog/repositories/" + std::to_string(id), token);
        repository = response.Json();
        return response.status == 200 && repository["lastCommit"] == commit &&
               repository["status"] == "synced";
      },
      std::chrono::seconds(60));
  INFO(repository.dump(2));
  REQUIRE(synced);
  return repository;
}

json Browse(HttpClient& api, const std::string& token, const std::string& query) {
  const HttpResponse response = api.Get("/api/v1/catalog/templates?" + query, token);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return response.Json();
}

std::vector<std::string> Names(const json& browse) {
  std::vector<std::string> names;
  for (const auto& entry : browse["templates"])
    names.push_back(entry["name"]);
  return names;
}

}  // namespace ss::test
