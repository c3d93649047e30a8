// What the catalog acceptance tests share: a platform with the catalog service (local
// repositories allowed, a private cache folder), git repositories made with the git CLI, and
// helpers for the catalog routes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform_stack.h"

namespace ss::test {

// The catalog service (and `replicas` of it); `env` is added to each replica's environment.
PlatformOptions CatalogPlatform(int replicas = 1, const Environment& env = {});
// Lets the catalog service of `options` take local repositories (file://), with a private cache
// folder.
void AllowLocalRepositories(PlatformOptions& options);

// A git repository in a temporary folder, on branch main, changed with the git CLI.
class GitRepository {
 public:
  GitRepository();
  const std::string& path() const { return path_; }
  std::string url() const { return "file://" + path_; }

  void Write(const std::string& file, const std::string& content);
  void Remove(const std::string& file);
  // `ln -s target link`.
  void Symlink(const std::string& target, const std::string& link);
  // Commits everything; returns the new commit's id.
  std::string Commit(const std::string& message);
  // Commits HEAD's tree plus one top-level entry named `name` (which git's own commands would
  // refuse, such as ".."), made with git mktree; returns the new commit's id.
  std::string CommitRawEntry(const std::string& name, const std::string& content);
  // Runs git in the repository; fails the test on a non-zero exit. Returns stdout.
  std::string Git(const std::string& args);

 private:
  TempDir dir_;
  std::string path_;
};

// A Template manifest with the given fields.
std::string TemplateManifest(const std::string& name, const std::string& display_name,
                             const std::string& category, const std::vector<std::string>& tags,
                             const std::string& description = "",
                             const std::string& api_version = "stream.streamspace.io/v1alpha1");

// POST /api/v1/catalog/repositories; requires 200 and returns the repository.
nlohmann::json AddRepository(HttpClient& api, const std::string& token, const std::string& name,
                             const std::string& url, const std::string& webhook_secret = "");
// Waits until the repository's last commit is `commit` and its status synced; returns it.
nlohmann::json WaitSynced(HttpClient& api, const std::string& token, int id,
                          const std::string& commit);
// GET /api/v1/catalog/templates?<query>; requires 200.
nlohmann::json Browse(HttpClient& api, const std::string& token, const std::string& query = "");
// The names of a browse answer, in order.
std::vector<std::string> Names(const nlohmann::json& browse);

}  // namespace ss::test
