#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/guarded.h"

namespace ss::catalog {
namespace pb = streamspace::catalog::v1;

CatalogGrpcService::CatalogGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                       ClusterTemplates& templates,
                                       RepositoryDirectory& repositories, Marketplace& marketplace)
    : guard_(*google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
                 pb::CatalogService::service_full_name()),
             std::move(verifier)),
      templates_(templates),
      repositories_(repositories),
      marketplace_(marketplace) {}

grpc::Status CatalogGrpcService::ListTemplates(grpc::ServerContext* context,
                                               const pb::ListTemplatesRequest* request,
                                               pb::ListTemplatesResponse* response) {
  rpc::Call call(*context, guard_, "ListTemplates");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("ListTemplates", [&] { return templates_.List(*request, response); });
}

grpc::Status CatalogGrpcService::GetTemplate(grpc::ServerContext* context,
                                             const pb::GetTemplateRequest* request,
                                             pb::Template* response) {
  rpc::Call call(*context, guard_, "GetTemplate");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("GetTemplate", [&] { return templates_.Get(request->id(), response); });
}

grpc::Status CatalogGrpcService::CreateTemplate(grpc::ServerContext* context,
                                                const pb::CreateTemplateRequest* request,
                                                pb::Template* response) {
  rpc::Call call(*context, guard_, "CreateTemplate");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("CreateTemplate",
                      [&] { return templates_.Create(request->template_(), response); });
}

grpc::Status CatalogGrpcService::UpdateTemplate(grpc::ServerContext* context,
                                                const pb::UpdateTemplateRequest* request,
                                                pb::Template* response) {
  rpc::Call call(*context, guard_, "UpdateTemplate");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("UpdateTemplate", [&] { return templates_.Update(*request, response); });
}

grpc::Status CatalogGrpcService::DeleteTemplate(grpc::ServerContext* context,
                                                const pb::DeleteTemplateRequest* request,
                                                pb::DeleteTemplateResponse*) {
  rpc::Call call(*context, guard_, "DeleteTemplate");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("DeleteTemplate", [&] { return templates_.Delete(request->id()); });
}

grpc::Status CatalogGrpcService::ListRepositories(grpc::ServerContext* context,
                                                  const pb::ListRepositoriesRequest* request,
                                                  pb::ListRepositoriesResponse* response) {
  rpc::Call call(*context, guard_, "ListRepositories");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("ListRepositories", [&] { return repositories_.List(*request, response); });
}

grpc::Status CatalogGrpcService::GetRepository(grpc::ServerContext* context,
                                               const pb::GetRepositoryRequest* request,
                                               pb::Repository* response) {
  rpc::Call call(*context, guard_, "GetRepository");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("GetRepository", [&] { return repositories_.Get(request->id(), response); });
}

grpc::Status CatalogGrpcService::CreateRepository(grpc::ServerContext* context,
                                                  const pb::CreateRepositoryRequest* request,
                                                  pb::Repository* response) {
  rpc::Call call(*context, guard_, "CreateRepository");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("CreateRepository", [&] { return repositories_.Create(*request, response); });
}

grpc::Status CatalogGrpcService::DeleteRepository(grpc::ServerContext* context,
                                                  const pb::DeleteRepositoryRequest* request,
                                                  pb::DeleteRepositoryResponse*) {
  rpc::Call call(*context, guard_, "DeleteRepository");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("DeleteRepository", [&] { return repositories_.Delete(request->id()); });
}

grpc::Status CatalogGrpcService::ListSyncRuns(grpc::ServerContext* context,
                                              const pb::ListSyncRunsRequest* request,
                                              pb::ListSyncRunsResponse* response) {
  rpc::Call call(*context, guard_, "ListSyncRuns");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("ListSyncRuns", [&] { return repositories_.ListRuns(*request, response); });
}

grpc::Status CatalogGrpcService::SyncCatalog(grpc::ServerContext* context,
                                             const pb::SyncCatalogRequest* request,
                                             pb::SyncCatalogResponse* response) {
  rpc::Call call(*context, guard_, "SyncCatalog");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("SyncCatalog", [&] { return repositories_.Sync(*request, response); });
}

grpc::Status CatalogGrpcService::ListCatalogTemplates(
    grpc::ServerContext* context, const pb::ListCatalogTemplatesRequest* request,
    pb::ListCatalogTemplatesResponse* response) {
  rpc::Call call(*context, guard_, "ListCatalogTemplates");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("ListCatalogTemplates",
                      [&] { return marketplace_.Browse(*request, response); });
}

grpc::Status CatalogGrpcService::InstallCatalogTemplate(
    grpc::ServerContext* context, const pb::InstallCatalogTemplateRequest* request,
    pb::Template* response) {
  rpc::Call call(*context, guard_, "InstallCatalogTemplate");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("InstallCatalogTemplate",
                      [&] { return marketplace_.Install(*request, response); });
}

grpc::Status CatalogGrpcService::RepositoryWebhook(grpc::ServerContext* context,
                                                   const pb::RepositoryWebhookRequest* request,
                                                   pb::RepositoryWebhookResponse* response) {
  rpc::Call call(*context, guard_, "RepositoryWebhook");
  if (!call.ok())
    return call.status();
  return rpc::Guarded("RepositoryWebhook",
                      [&] { return repositories_.Webhook(*request, response); });
}

}  // namespace ss::catalog
