#include "catalog_index.h"

#include <algorithm>
#include <numeric>

#include "core/text.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;

}  // namespace

struct CatalogIndex::Snapshot {
  std::int64_t generation = -1;
  std::vector<pb::CatalogTemplate> entries;
  std::vector<std::string> search_text;  // lower-cased name, display name, description
  std::vector<std::uint32_t> by_installs, by_name, by_recency;
};

bool ParseBrowseSort(const std::string& text, BrowseSort* sort) {
  if (text.empty() || text == "installs")
    *sort = BrowseSort::kInstalls;
  else if (text == "name")
    *sort = BrowseSort::kName;
  else if (text == "recency")
    *sort = BrowseSort::kRecency;
  else
    return false;
  return true;
}

void CatalogIndex::Replace(std::int64_t generation, std::vector<pb::CatalogTemplate> entries) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->generation = generation;
  snapshot->entries = std::move(entries);
  const auto& all = snapshot->entries;
  for (const auto& entry : all) {
    snapshot->search_text.push_back(
        core::AsciiLower(entry.name() + "\n" + entry.display_name() + "\n" + entry.description()));
  }
  std::vector<std::uint32_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  // Ties fall back to name, then repository, so every order is total and pages are stable.
  const auto by_name = [&all](std::uint32_t a, std::uint32_t b) {
    if (all[a].name() != all[b].name())
      return all[a].name() < all[b].name();
    return all[a].repository().id() < all[b].repository().id();
  };
  snapshot->by_name = order;
  std::sort(snapshot->by_name.begin(), snapshot->by_name.end(), by_name);
  snapshot->by_installs = order;
  std::sort(snapshot->by_installs.begin(), snapshot->by_installs.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              if (all[a].install_count() != all[b].install_count())
                return all[a].install_count() > all[b].install_count();
              return by_name(a, b);
            });
  snapshot->by_recency = order;
  // RFC 3339 in UTC with a fixed width sorts as text.
  std::sort(snapshot->by_recency.begin(), snapshot->by_recency.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              if (all[a].updated_at() != all[b].updated_at())
                return all[a].updated_at() > all[b].updated_at();
              return by_name(a, b);
            });
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(snapshot);
}

std::int64_t CatalogIndex::generation() const {
  std::lock_guard lock(mutex_);
  return snapshot_ ? snapshot_->generation : -1;
}

BrowsePage CatalogIndex::Browse(const BrowseQuery& query) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = snapshot_;
  }
  BrowsePage page;
  if (!snapshot)
    return page;
  const std::vector<std::uint32_t>& order = query.sort == BrowseSort::kName ? snapshot->by_name
                                            : query.sort == BrowseSort::kRecency
                                                ? snapshot->by_recency
                                                : snapshot->by_installs;
  const std::string search = core::AsciiLower(query.search);
  for (std::uint32_t index : order) {
    const pb::CatalogTemplate& entry = snapshot->entries[index];
    if (!query.category.empty() && entry.category() != query.category)
      continue;
    if (query.repository_id != 0 && entry.repository().id() != query.repository_id)
      continue;
    if (!query.tag.empty() &&
        std::find(entry.tags().begin(), entry.tags().end(), query.tag) == entry.tags().end()) {
      continue;
    }
    if (!search.empty() && snapshot->search_text[index].find(search) == std::string::npos)
      continue;
    if (page.total >= query.offset && page.total < query.offset + query.limit)
      page.templates.push_back(entry);
    ++page.total;
  }
  if (query.offset + query.limit < page.total)
    page.next_offset = query.offset + query.limit;
  return page;
}

}  // namespace ss::catalog
