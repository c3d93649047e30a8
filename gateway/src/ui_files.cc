#include "ui_files.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "path_template.h"

namespace ss::gateway {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxTotalBytes = 256u << 20;
// Hashed by the bundler: a new build names new files.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr ContentType kContentTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".avif", "image/avif"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".eot", "application/vnd.ms-fontobject"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
};

std::string_view ContentTypeOf(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string extension(name.substr(dot));
    for (auto& c : extension)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& known : kContentTypes) {
      if (known.extension == extension)
        return known.type;
    }
  }
  return "application/octet-stream";
}

bool UnderFolder(const fs::path& file, const fs::path& folder) {
  const auto relative = file.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

UiFiles::UiFiles(const fs::path& folder) {
  std::error_code error;
  const auto root = fs::canonical(folder, error);
  if (error || !fs::is_directory(root))
    throw std::runtime_error("UI_DIR " + folder.string() + " is not a readable folder");
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code entry_error;
    const auto target = fs::canonical(it->path(), entry_error);
    if (entry_error || !fs::is_regular_file(target))
      continue;
    if (!UnderFolder(target, root)) {
      spdlog::warn("UI_DIR: {} points outside the folder and is not served",
                   it->path().lexically_relative(root).string());
      continue;
    }
    std::ifstream in(target, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in)
      throw std::runtime_error("UI_DIR: cannot read " + target.string());
    const auto relative = it->path().lexically_relative(root).generic_string();
    UiFile file;
    file.body = std::move(body).str();
    file.content_type = ContentTypeOf(relative);
    file.cache_control = relative.rfind("assets/", 0) == 0 ? kImmutable : kRevalidate;
    total_bytes_ += file.body.size();
    if (total_bytes_ > kMaxTotalBytes)
      throw std::runtime_error("UI_DIR holds more than 256 MiB");
    files_.emplace(relative, std::move(file));
  }
  if (error)
    throw std::runtime_error("UI_DIR: " + error.message());
  const auto index = files_.find("index.html");
  if (index == files_.end())
    throw std::runtime_error("UI_DIR " + folder.string() + " holds no index.html");
  index_ = &index->second;
}

const UiFile* UiFiles::Find(std::string_view path) const {
  std::string decoded;
  if (path.empty() || path.front() != '/' || !PercentDecode(path, false, &decoded))
    return nullptr;
  // Only names that were read can match; what a path must not hold is refused all the same, so
  // that no such request ever gets index.html either.
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos)
    return nullptr;
  std::string_view rest(decoded);
  rest.remove_prefix(1);
  for (std::string_view segments = rest; !segments.empty();) {
    const auto slash = segments.find('/');
    const auto segment = segments.substr(0, slash);
    if (segment == "." || segment == "..")
      return nullptr;
    segments = slash == std::string_view::npos ? std::string_view() : segments.substr(slash + 1);
  }
  if (rest.empty())
    return index_;
  if (const auto found = files_.find(rest); found != files_.end())
    return &found->second;
  // Under assets/ only hashed build outputs live: a name that is not there is stale, and a page
  // in its place would only hide that. Any other unknown path gets the page, as the UI's own
  // nginx (try_files) did: client-side routes, and files index.html names but the build does not
  // hold (the UI of 62da6a7 links a favicon, /vite.svg, that its build lacks).
  if (rest.rfind("assets/", 0) == 0)
    return nullptr;
  return index_;
}

bool UiFiles::IsApiPath(std::string_view path) {
  constexpr std::string_view kPrefixes[] = {"/api/", "/webhooks/", "/.well-known/"};
  constexpr std::string_view kExact[] = {"/api", "/webhooks", "/health", "/version",
                                         "/openapi.json"};
  for (auto prefix : kPrefixes) {
    if (path.rfind(prefix, 0) == 0)
      return true;
  }
  for (auto exact : kExact) {
    if (path == exact)
      return true;
  }
  return false;
}

}  // namespace ss::gateway
