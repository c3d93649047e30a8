// Repositories as the API sees them: create (secrets sealed), list, get, delete, sync requests
// and the signed webhook.
#pragma once

#include <grpcpp/support/status.h>

#include "catalog_sync.h"
#include "git_mirror.h"
#include "marketplace.h"
#include "repository_store.h"
#include "secret_box.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

class RepositoryDirectory {
 public:
  // `marketplace` learns of the catalog entries a deletion removes.
  RepositoryDirectory(RepositoryStore& store, CatalogSync& sync, const GitMirror& mirror,
                      const SecretBox& secrets, Marketplace& marketplace, bool allow_local);

  grpc::Status Create(const streamspace::catalog::v1::CreateRepositoryRequest& request,
                      streamspace::catalog::v1::Repository* response);
  // Reads for any signed-in caller; the credentials' user name only for `privileged` ones.
  grpc::Status List(const streamspace::catalog::v1::ListRepositoriesRequest& request,
                    bool privileged, streamspace::catalog::v1::ListRepositoriesResponse* response);
  grpc::Status Get(std::int32_t id, bool privileged,
                   streamspace::catalog::v1::Repository* response);
  grpc::Status Delete(std::int32_t id);
  grpc::Status ListRuns(const streamspace::catalog::v1::ListSyncRunsRequest& request,
                        streamspace::catalog::v1::ListSyncRunsResponse* response);
  // Queue a sync of one repository (NOT_FOUND when unknown), or of every one.
  grpc::Status SyncOne(std::int32_t id, streamspace::catalog::v1::SyncCatalogResponse* response);
  grpc::Status SyncAll(streamspace::catalog::v1::SyncCatalogResponse* response);
  // NOT_FOUND for an unknown repository, UNAUTHENTICATED for a missing or wrong signature (and
  // nothing queued), else a queued sync.
  grpc::Status Webhook(const streamspace::catalog::v1::RepositoryWebhookRequest& request,
                       streamspace::catalog::v1::RepositoryWebhookResponse* response);

 private:
  RepositoryStore& store_;
  CatalogSync& sync_;
  const GitMirror& mirror_;
  const SecretBox& secrets_;
  Marketplace& marketplace_;
  const bool allow_local_;
};

}  // namespace ss::catalog
