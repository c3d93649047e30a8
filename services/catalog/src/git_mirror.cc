#include "git_mirror.h"

#include <git2.h>

#include <memory>
#include <mutex>

namespace ss::catalog {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* object) const { Free(object); }
};
using Repository = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using Odb = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;

void InitLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string LastError(const std::string& what) {
  const git_error* error = git_error_last();
  return what + ": " + (error != nullptr ? error->message : "unknown error");
}

struct FetchState {
  const GitSource* source = nullptr;
  std::uint64_t max_bytes = 0;
  int credential_attempts = 0;
  bool too_large = false;
};

int Credentials(git_credential** out, const char*, const char*, unsigned int allowed,
                void* payload) {
  auto* state = static_cast<FetchState*>(payload);
  // One try only: libgit2 asks again after a refusal, which would loop.
  if (state->source->secret.empty() || state->credential_attempts++ > 0 ||
      (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    return GIT_EAUTH;
  }
  const std::string& user =
      state->source->username.empty() ? std::string("x-access-token") : state->source->username;
  return git_credential_userpass_plaintext_new(out, user.c_str(), state->source->secret.c_str());
}

int TransferProgress(const git_indexer_progress* stats, void* payload) {
  auto* state = static_cast<FetchState*>(payload);
  if (stats->received_bytes > state->max_bytes) {
    state->too_large = true;
    return -1;
  }
  return 0;
}

bool SafeName(const char* name) {
  const std::string_view text(name);
  return !text.empty() && text != "." && text != ".." && text != ".git" &&
         text.find_first_of("/\\") == std::string_view::npos;
}

class TreeReader {
 public:
  TreeReader(git_repository* repository, git_odb* odb, const GitLimits& limits,
             RepositorySnapshot* snapshot)
      : repository_(repository), odb_(odb), limits_(limits), snapshot_(snapshot) {}

  bool Read(const git_tree* tree, const std::string& prefix, int depth, std::string* error) {
    if (depth > limits_.max_tree_depth) {
      snapshot_->skipped.push_back(
          {prefix, "folders nested deeper than " + std::to_string(limits_.max_tree_depth)});
      return true;
    }
    const size_t count = git_tree_entrycount(tree);
    for (size_t i = 0; i < count; ++i) {
      if (++entries_ > limits_.max_entries) {
        *error = "repository has more than " + std::to_string(limits_.max_entries) + " files";
        return false;
      }
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      const char* name = git_tree_entry_name(entry);
      const std::string path = prefix + name;
      if (!SafeName(name)) {
        snapshot_->skipped.push_back({prefix + "?", "unsafe path name in the tree"});
        continue;
      }
      const git_filemode_t mode = git_tree_entry_filemode(entry);
      if (mode == GIT_FILEMODE_LINK) {
        snapshot_->skipped.push_back({path, "symbolic link (not followed)"});
        continue;
      }
      if (mode == GIT_FILEMODE_COMMIT) {
        snapshot_->skipped.push_back({path, "submodule (not followed)"});
        continue;
      }
      if (mode == GIT_FILEMODE_TREE) {
        git_tree* child = nullptr;
        if (git_tree_lookup(&child, repository_, git_tree_entry_id(entry)) != 0) {
          *error = LastError("reading a folder");
          return false;
        }
        const Tree owned(child);
        if (!Read(child, path + "/", depth + 1, error))
          return false;
        continue;
      }
      if (!IsManifestPath(path))
        continue;
      if (!ReadFile(entry, path, error))
        return false;
    }
    return true;
  }

 private:
  bool ReadFile(const git_tree_entry* entry, const std::string& path, std::string* error) {
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, odb_, git_tree_entry_id(entry)) != 0) {
      *error = LastError("reading a file header");
      return false;
    }
    if (size > limits_.max_file_bytes) {
      snapshot_->skipped.push_back(
          {path, "larger than " + std::to_string(limits_.max_file_bytes) + " bytes"});
      return true;
    }
    total_bytes_ += size;
    if (total_bytes_ > limits_.max_repository_bytes) {
      *error = "manifests larger than " + std::to_string(limits_.max_repository_bytes) +
               " bytes in total";
      return false;
    }
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, repository_, git_tree_entry_id(entry)) != 0) {
      *error = LastError("reading a file");
      return false;
    }
    const Blob owned(blob);
    snapshot_->files.push_back(
        {path, std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                           static_cast<size_t>(git_blob_rawsize(blob)))});
    return true;
  }

  git_repository* repository_;
  git_odb* odb_;
  const GitLimits& limits_;
  RepositorySnapshot* snapshot_;
  std::size_t entries_ = 0;
  std::uint64_t total_bytes_ = 0;
};

}  // namespace

std::vector<core::Variable> GitMirrorVariables() {
  return {
      {"CATALOG_CACHE_DIR", "/tmp/streamspace-catalog",
       "Folder of the bare git mirrors of the repositories."},
      {"CATALOG_MAX_FILE_BYTES", "262144", "A larger manifest file is skipped."},
      {"CATALOG_MAX_REPO_BYTES", "67108864",
       "A fetch receiving more, or a commit with more manifest bytes, fails the sync."},
      {"CATALOG_MAX_FILES", "50000", "A commit with more files and folders fails the sync."},
  };
}

GitLimits GitLimitsFrom(const core::Config& config) {
  GitLimits limits;
  limits.max_repository_bytes = std::stoull(config.Get("CATALOG_MAX_REPO_BYTES"));
  limits.max_entries = static_cast<std::size_t>(config.GetInt("CATALOG_MAX_FILES"));
  limits.max_file_bytes = static_cast<std::size_t>(config.GetInt("CATALOG_MAX_FILE_BYTES"));
  return limits;
}

GitMirror::GitMirror(std::filesystem::path cache_dir, GitLimits limits)
    : cache_dir_(std::move(cache_dir)), limits_(limits) {
  InitLibgit2();
  std::filesystem::create_directories(cache_dir_);
}

std::filesystem::path GitMirror::MirrorPath(std::int32_t repository_id) const {
  return cache_dir_ / (std::to_string(repository_id) + ".git");
}

std::optional<std::string> GitMirror::Fetch(std::int32_t repository_id, const GitSource& source,
                                            std::string* error) const {
  const std::string path = MirrorPath(repository_id).string();
  git_repository* raw_repository = nullptr;
  if (git_repository_open_bare(&raw_repository, path.c_str()) != 0 &&
      git_repository_init(&raw_repository, path.c_str(), 1) != 0) {
    *error = LastError("opening the cache");
    return std::nullopt;
  }
  const Repository repository(raw_repository);
  git_remote* raw_remote = nullptr;
  if (git_remote_create_anonymous(&raw_remote, repository.get(), source.url.c_str()) != 0) {
    *error = LastError("remote");
    return std::nullopt;
  }
  const Remote remote(raw_remote);
  FetchState state;
  state.source = &source;
  state.max_bytes = limits_.max_repository_bytes;
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks.credentials = Credentials;
  options.callbacks.transfer_progress = TransferProgress;
  options.callbacks.payload = &state;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  options.update_fetchhead = 0;
  const std::string ref = "refs/heads/" + source.branch;
  const std::string refspec = "+" + ref + ":refs/remotes/origin/" + source.branch;
  char* refspec_text = const_cast<char*>(refspec.c_str());
  const git_strarray refspecs{&refspec_text, 1};
  if (git_remote_fetch(remote.get(), &refspecs, &options, nullptr) != 0) {
    *error = state.too_large ? "repository larger than " +
                                   std::to_string(limits_.max_repository_bytes) + " bytes"
                             : LastError("fetch");
    return std::nullopt;
  }
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (git_remote_ls(&heads, &count, remote.get()) != 0) {
    *error = LastError("listing the remote's branches");
    return std::nullopt;
  }
  for (size_t i = 0; i < count; ++i) {
    if (ref == heads[i]->name) {
      char hex[GIT_OID_HEXSZ + 1] = {};
      git_oid_tostr(hex, sizeof(hex), &heads[i]->oid);
      return std::string(hex);
    }
  }
  *error = "branch " + source.branch + " not found";
  return std::nullopt;
}

std::optional<RepositorySnapshot> GitMirror::Read(std::int32_t repository_id,
                                                  const std::string& commit,
                                                  std::string* error) const {
  const std::string path = MirrorPath(repository_id).string();
  git_repository* raw_repository = nullptr;
  if (git_repository_open_bare(&raw_repository, path.c_str()) != 0) {
    *error = LastError("opening the cache");
    return std::nullopt;
  }
  const Repository repository(raw_repository);
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository.get()) != 0) {
    *error = LastError("object database");
    return std::nullopt;
  }
  const Odb odb(raw_odb);
  git_oid oid;
  git_commit* raw_commit = nullptr;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0 ||
      git_commit_lookup(&raw_commit, repository.get(), &oid) != 0) {
    *error = LastError("commit " + commit);
    return std::nullopt;
  }
  const Commit owned_commit(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, raw_commit) != 0) {
    *error = LastError("commit tree");
    return std::nullopt;
  }
  const Tree tree(raw_tree);
  RepositorySnapshot snapshot;
  TreeReader reader(repository.get(), odb.get(), limits_, &snapshot);
  if (!reader.Read(tree.get(), "", 0, error))
    return std::nullopt;
  return snapshot;
}

void GitMirror::Remove(std::int32_t repository_id) const {
  std::error_code ignored;
  std::filesystem::remove_all(MirrorPath(repository_id), ignored);
}

}  // namespace ss::catalog
