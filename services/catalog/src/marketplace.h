// Browse and install: the browse index refreshed when the catalog's generation moves, and install
// as one Postgres transaction around the Template's creation.
#pragma once

#include <grpcpp/support/status.h>

#include <mutex>

#include "catalog_index.h"
#include "catalog_store.h"
#include "cluster_templates.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

class Marketplace {
 public:
  Marketplace(CatalogStore& store, ClusterTemplates& templates);

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
};

}  // namespace ss::catalog
