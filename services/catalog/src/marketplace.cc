#include "marketplace.h"

#include "validation.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;

}  // namespace

Marketplace::Marketplace(CatalogStore& store, ClusterTemplates& templates)
    : store_(store), templates_(templates) {}

Marketplace::WriteScope::WriteScope(Marketplace& marketplace) : marketplace_(marketplace) {
  ++marketplace_.writes_in_flight_;
}

Marketplace::WriteScope::~WriteScope() {
  marketplace_.recheck_ = true;
  --marketplace_.writes_in_flight_;
}

void Marketplace::Refresh() {
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now().time_since_epoch())
                                  .count();
  const bool due = now_ms - checked_at_ms_.load() >= kGenerationCheck.count();
  if (writes_in_flight_.load() == 0 && !recheck_.exchange(false) && !due)
    return;
  checked_at_ms_ = now_ms;
  if (store_.Generation() == index_.generation())
    return;
  // One reload at a time; the others wait and then find the index current.
  std::lock_guard lock(reload_mutex_);
  if (store_.Generation() == index_.generation())
    return;
  std::int64_t generation = 0;
  auto entries = store_.LoadAll(&generation);
  index_.Replace(generation, std::move(entries));
}

grpc::Status Marketplace::Browse(const pb::ListCatalogTemplatesRequest& request,
                                 pb::ListCatalogTemplatesResponse* response) {
  BrowseQuery query;
  auto status = PageBounds(request.page_size(), request.page_token(), &query.offset, &query.limit);
  if (!status.ok())
    return status;
  if (!ParseBrowseSort(request.sort(), &query.sort)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "sort must be installs, name or recency");
  }
  if (request.search().size() > 256)
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "search is 256 characters at most");
  query.category = request.category();
  query.tag = request.tag();
  query.search = request.search();
  query.repository_id = request.repository_id();
  Refresh();
  BrowsePage page = index_.Browse(query);
  for (auto& entry : page.templates)
    *response->add_templates() = std::move(entry);
  response->set_total(page.total);
  response->set_next_page_token(NextPageToken(query.offset, query.limit, page.total));
  return grpc::Status::OK;
}

grpc::Status Marketplace::Install(const pb::InstallCatalogTemplateRequest& request,
                                  pb::Template* response) {
  const WriteScope writing(*this);
  return store_.Install(request.id(), [&](const CatalogStore::Installable& entry) {
    return templates_.CreateFromSpec(
        entry.name, entry.spec,
        {{"streamspace.io/catalog-repository", std::to_string(entry.repository_id)}}, response);
  });
}

}  // namespace ss::catalog
