// Template manifests from a catalog repository: YAML read with bounds (size, node count with
// aliases expanded, depth), documents that are not Templates skipped with a reason, and the spec
// normalized and checked against the Template schema.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ss::catalog {

struct ManifestLimits {
  // A larger file is skipped unread.
  std::size_t max_file_bytes = 256 * 1024;
  // Nodes of one file after expanding aliases (YAML "billion laughs" stop here).
  std::size_t max_nodes = 20'000;
  // Nesting of mappings and sequences.
  int max_depth = 32;
};

// One Template of a repository, ready to store and install.
struct CatalogEntry {
  std::string name;
  std::string path;
  nlohmann::json spec;  // normalized and checked
};

// A file (or one document of it) left out of the catalog, and why.
struct SkippedFile {
  std::string path;
  std::string reason;
};

struct ParsedManifests {
  std::vector<CatalogEntry> templates;
  std::vector<SkippedFile> skipped;
};

// The apiVersions a catalog Template may carry (the current one and the older public catalog's).
bool IsTemplateApiVersion(std::string_view api_version);

// True for *.yaml and *.yml.
bool IsManifestPath(std::string_view path);

// Converts YAML text (every document) to JSON values within `limits`; throws std::runtime_error
// with the reason when the text is malformed or exceeds them.
std::vector<nlohmann::json> YamlDocuments(std::string_view text, const ManifestLimits& limits);

// Parses one file: every Template document becomes an entry, anything else a skip with its
// reason. Never throws.
ParsedManifests ParseManifestFile(const std::string& path, std::string_view content,
                                  const ManifestLimits& limits);

}  // namespace ss::catalog
