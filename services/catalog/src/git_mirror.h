// A bare mirror of each repository's branch in the cache folder, fetched with libgit2, and the
// manifests of one commit read straight from its object database: nothing is checked out, so a
// symlink or a hostile path in the tree can never reach the file system.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "manifest.h"

namespace ss::catalog {

struct GitSource {
  std::string url;
  std::string branch = "main";
  // Credentials for https: a token (user name optional) or user name and password.
  std::string username;
  std::string secret;
};

struct GitLimits {
  // Bytes received by a fetch, and bytes of all files of the commit read.
  std::uint64_t max_repository_bytes = 64ull << 20;
  // Tree entries of one commit (files and folders).
  std::size_t max_entries = 50'000;
  // Folder nesting.
  int max_tree_depth = 32;
  std::size_t max_file_bytes = 256 * 1024;
};

// CATALOG_CACHE_DIR, CATALOG_MAX_FILE_BYTES, CATALOG_MAX_REPO_BYTES and CATALOG_MAX_FILES, and the
// limits from them.
std::vector<core::Variable> GitMirrorVariables();
GitLimits GitLimitsFrom(const core::Config& config);

// The manifest files of one commit, and what was left out of it.
struct RepositorySnapshot {
  struct File {
    std::string path;
    std::string content;
  };
  std::vector<File> files;
  std::vector<SkippedFile> skipped;
};

class GitMirror {
 public:
  GitMirror(std::filesystem::path cache_dir, GitLimits limits);

  // Fetches `source.branch` into the mirror of `repository_id`; the commit at its tip, or
  // nullopt with `error` set (the message names no credential).
  std::optional<std::string> Fetch(std::int32_t repository_id, const GitSource& source,
                                   std::string* error) const;

  // The *.yaml / *.yml files of `commit`; nullopt with `error` set when the commit breaks a
  // repository-wide limit.
  std::optional<RepositorySnapshot> Read(std::int32_t repository_id, const std::string& commit,
                                         std::string* error) const;

  // Deletes the mirror of a removed repository.
  void Remove(std::int32_t repository_id) const;

 private:
  std::filesystem::path MirrorPath(std::int32_t repository_id) const;

  std::filesystem::path cache_dir_;
  GitLimits limits_;
};

}  // namespace ss::catalog
