// The browse index of one replica: every catalog entry in memory, pre-sorted three ways, so that
// a browse is a filtered walk over one order. Swapped whole when the catalog's generation moves.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

enum class BrowseSort { kInstalls, kName, kRecency };

struct BrowseQuery {
  std::string category;
  std::string tag;
  std::string search;              // case-insensitive substring of name, display name, description
  std::int32_t repository_id = 0;  // 0: every repository
  BrowseSort sort = BrowseSort::kInstalls;
  int offset = 0;
  int limit = 50;
};

struct BrowsePage {
  std::vector<streamspace::catalog::v1::CatalogTemplate> templates;
  int total = 0;
  // -1 on the last page.
  int next_offset = -1;
};

class CatalogIndex {
 public:
  // Replaces the entries (the `generation` they were read at).
  void Replace(std::int64_t generation,
               std::vector<streamspace::catalog::v1::CatalogTemplate> entries);
  // -1 before the first Replace.
  std::int64_t generation() const;
  BrowsePage Browse(const BrowseQuery& query) const;

 private:
  struct Snapshot;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// "installs" (or empty), "name", "recency"; false for anything else.
bool ParseBrowseSort(const std::string& text, BrowseSort* sort);

}  // namespace ss::catalog
