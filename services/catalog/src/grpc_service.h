// The gRPC face of the catalog service: every handler checks access first (rpc::Handle), then hands
// the request to the logic classes and turns failures of the database into UNAVAILABLE.
#pragma once

#include "cluster_templates.h"
#include "marketplace.h"
#include "repository_directory.h"
#include "rpc/audit.h"
#include "rpc/call.h"
#include "streamspace/catalog/v1/catalog.grpc.pb.h"

namespace ss::catalog {

class CatalogGrpcService final : public streamspace::catalog::v1::CatalogService::Service {
 public:
  CatalogGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                     std::shared_ptr<rpc::Auditor> auditor, ClusterTemplates& templates,
                     RepositoryDirectory& repositories, Marketplace& marketplace);

  grpc::Status ListTemplates(grpc::ServerContext* context,
                             const streamspace::catalog::v1::ListTemplatesRequest* request,
                             streamspace::catalog::v1::ListTemplatesResponse* response) override;
  grpc::Status GetTemplate(grpc::ServerContext* context,
                           const streamspace::catalog::v1::GetTemplateRequest* request,
                           streamspace::catalog::v1::Template* response) override;
  grpc::Status CreateTemplate(grpc::ServerContext* context,
                              const streamspace::catalog::v1::CreateTemplateRequest* request,
                              streamspace::catalog::v1::Template* response) override;
  grpc::Status UpdateTemplate(grpc::ServerContext* context,
                              const streamspace::catalog::v1::UpdateTemplateRequest* request,
                              streamspace::catalog::v1::Template* response) override;
  grpc::Status DeleteTemplate(grpc::ServerContext* context,
                              const streamspace::catalog::v1::DeleteTemplateRequest* request,
                              streamspace::catalog::v1::DeleteTemplateResponse* response) override;
  grpc::Status ListRepositories(
      grpc::ServerContext* context,
      const streamspace::catalog::v1::ListRepositoriesRequest* request,
      streamspace::catalog::v1::ListRepositoriesResponse* response) override;
  grpc::Status GetRepository(grpc::ServerContext* context,
                             const streamspace::catalog::v1::GetRepositoryRequest* request,
                             streamspace::catalog::v1::Repository* response) override;
  grpc::Status CreateRepository(grpc::ServerContext* context,
                                const streamspace::catalog::v1::CreateRepositoryRequest* request,
                                streamspace::catalog::v1::Repository* response) override;
  grpc::Status DeleteRepository(
      grpc::ServerContext* context,
      const streamspace::catalog::v1::DeleteRepositoryRequest* request,
      streamspace::catalog::v1::DeleteRepositoryResponse* response) override;
  grpc::Status ListSyncRuns(grpc::ServerContext* context,
                            const streamspace::catalog::v1::ListSyncRunsRequest* request,
                            streamspace::catalog::v1::ListSyncRunsResponse* response) override;
  grpc::Status SyncRepository(grpc::ServerContext* context,
                              const streamspace::catalog::v1::SyncRepositoryRequest* request,
                              streamspace::catalog::v1::SyncCatalogResponse* response) override;
  grpc::Status SyncCatalog(grpc::ServerContext* context,
                           const streamspace::catalog::v1::SyncCatalogRequest* request,
                           streamspace::catalog::v1::SyncCatalogResponse* response) override;
  grpc::Status ListCatalogTemplates(
      grpc::ServerContext* context,
      const streamspace::catalog::v1::ListCatalogTemplatesRequest* request,
      streamspace::catalog::v1::ListCatalogTemplatesResponse* response) override;
  grpc::Status InstallCatalogTemplate(
      grpc::ServerContext* context,
      const streamspace::catalog::v1::InstallCatalogTemplateRequest* request,
      streamspace::catalog::v1::Template* response) override;
  grpc::Status RepositoryWebhook(
      grpc::ServerContext* context,
      const streamspace::catalog::v1::RepositoryWebhookRequest* request,
      streamspace::catalog::v1::RepositoryWebhookResponse* response) override;

 private:
  rpc::AccessGuard guard_;
  ClusterTemplates& templates_;
  RepositoryDirectory& repositories_;
  Marketplace& marketplace_;
};

}  // namespace ss::catalog
