// Browse and install: the browse index refreshed when the catalog's generation moves, and install
// as one Postgres transaction around the Template's creation. The generation is read at most
// every kGenerationCheck, and on every browse while this replica writes the catalog (a sync or an
// install) and once after: this replica reads its own writes, and another replica's show within
// kGenerationCheck.
#pragma once

#include <grpcpp/support/status.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "catalog_index.h"
#include "catalog_store.h"
#include "cluster_templates.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

class Marketplace {
 public:
  static constexpr std::chrono::milliseconds kGenerationCheck{100};

  Marketplace(CatalogStore& store, ClusterTemplates& templates);

  // Marks a write of the catalog by this replica for its lifetime (the sync holds one around
  // recording its outcome).
  class WriteScope {
   public:
    explicit WriteScope(Marketplace& marketplace);
    ~WriteScope();
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;

   private:
    Marketplace& marketplace_;
  };

  grpc::Status Browse(const streamspace::catalog::v1::ListCatalogTemplatesRequest& request,
                      streamspace::catalog::v1::ListCatalogTemplatesResponse* response);
  grpc::Status Install(const streamspace::catalog::v1::InstallCatalogTemplateRequest& request,
                       streamspace::catalog::v1::Template* response);

 private:
  void Refresh();

  CatalogStore& store_;
  ClusterTemplates& templates_;
  CatalogIndex index_;
  std::mutex reload_mutex_;
  std::atomic<int> writes_in_flight_{0};
  std::atomic<bool> recheck_{true};
  std::atomic<std::int64_t> checked_at_ms_{0};  // steady clock
};

}  // namespace ss::catalog
