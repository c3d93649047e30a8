// The catalog_templates table for browse and install (schema catalog); the sync writes it through
// RepositoryStore::Finish.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/pool.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

class CatalogStore {
 public:
  explicit CatalogStore(db::Pool& pool) : pool_(pool) {}

  // The catalog's generation: it moves with every change of an entry (sync, install).
  std::int64_t Generation();
  // Every entry, with the generation they were read at (one snapshot).
  std::vector<streamspace::catalog::v1::CatalogTemplate> LoadAll(std::int64_t* generation);

  // What an install makes a Template resource from.
  struct Installable {
    std::string name;
    std::int32_t repository_id = 0;
    nlohmann::json spec;
  };

  // Adds one to the install count of the entry `id` and runs `create` with it in the same
  // transaction: the count is kept only when `create` succeeds. NOT_FOUND for an unknown entry.
  grpc::Status Install(std::int32_t id,
                       const std::function<grpc::Status(const Installable& entry)>& create);

 private:
  db::Pool& pool_;
};

}  // namespace ss::catalog
