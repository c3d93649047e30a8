// A built web UI served at / (UI_DIR): every regular file under the folder read into memory once
// at start-up (a UI is a few megabytes), so that no request touches the file system and no path
// can reach outside the folder (.., encoded or not, NUL, symlinks out of it: only what was read is
// ever served). Paths that name no file get index.html (client-side routing), except under
// assets/, where a missing file is a 404.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace ss::gateway {

struct UiFile {
  std::string body;
  std::string content_type;
  std::string cache_control;
};

class UiFiles {
 public:
  // Reads the folder; throws std::runtime_error when it is not a readable folder, holds no
  // index.html, or holds more than the size limit.
  explicit UiFiles(const std::filesystem::path& folder);

  // The file for a request path (as sent, percent-encoded); null when there is none.
  const UiFile* Find(std::string_view path) const;

  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }

  // The prefixes of the API: never the UI's, so that a missing route stays a JSON 404.
  static bool IsApiPath(std::string_view path);

 private:
  // Relative paths ("index.html", "assets/app-1a2b.js").
  std::map<std::string, UiFile, std::less<>> files_;
  std::size_t total_bytes_ = 0;
  const UiFile* index_ = nullptr;
};

}  // namespace ss::gateway
