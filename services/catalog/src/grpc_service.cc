#include "grpc_service.h"

#include <spdlog/spdlog.h>

#include "rpc/handler.h"

namespace ss::catalog {
namespace pb = streamspace::catalog::v1;

CatalogGrpcService::CatalogGrpcService(std::shared_ptr<const authn::TokenVerifier> verifier,
                                       std::shared_ptr<rpc::Auditor> auditor,
                                       ClusterTemplates& templates,
                                       RepositoryDirectory& repositories, Marketplace& marketplace)
    : guard_(*google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
                 pb::CatalogService::service_full_name()),
             std::move(verifier), std::move(auditor)),
      templates_(templates),
      repositories_(repositories),
      marketplace_(marketplace) {}

grpc::Status CatalogGrpcService::ListTemplates(grpc::ServerContext* context,
                                               const pb::ListTemplatesRequest* request,
                                               pb::ListTemplatesResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return templates_.List(*request, response); });
}

grpc::Status CatalogGrpcService::GetTemplate(grpc::ServerContext* context,
                                             const pb::GetTemplateRequest* request,
                                             pb::Template* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return templates_.Get(request->name(), response); });
}

grpc::Status CatalogGrpcService::CreateTemplate(grpc::ServerContext* context,
                                                const pb::CreateTemplateRequest* request,
                                                pb::Template* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return templates_.Create(request->template_(), response);
  });
}

grpc::Status CatalogGrpcService::UpdateTemplate(grpc::ServerContext* context,
                                                const pb::UpdateTemplateRequest* request,
                                                pb::Template* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return templates_.Update(*request, response); });
}

grpc::Status CatalogGrpcService::DeleteTemplate(grpc::ServerContext* context,
                                                const pb::DeleteTemplateRequest* request,
                                                pb::DeleteTemplateResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return templates_.Delete(request->name()); });
}

grpc::Status CatalogGrpcService::ListRepositories(grpc::ServerContext* context,
                                                  const pb::ListRepositoriesRequest* request,
                                                  pb::ListRepositoriesResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return repositories_.List(*request, call.principal().privileged(), response);
  });
}

grpc::Status CatalogGrpcService::GetRepository(grpc::ServerContext* context,
                                               const pb::GetRepositoryRequest* request,
                                               pb::Repository* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
    return repositories_.Get(request->id(), call.principal().privileged(), response);
  });
}

grpc::Status CatalogGrpcService::CreateRepository(grpc::ServerContext* context,
                                                  const pb::CreateRepositoryRequest* request,
                                                  pb::Repository* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return repositories_.Create(*request, response); });
}

grpc::Status CatalogGrpcService::DeleteRepository(grpc::ServerContext* context,
                                                  const pb::DeleteRepositoryRequest* request,
                                                  pb::DeleteRepositoryResponse*) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return repositories_.Delete(request->id()); });
}

grpc::Status CatalogGrpcService::ListSyncRuns(grpc::ServerContext* context,
                                              const pb::ListSyncRunsRequest* request,
                                              pb::ListSyncRunsResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return repositories_.ListRuns(*request, response); });
}

grpc::Status CatalogGrpcService::SyncRepository(grpc::ServerContext* context,
                                                const pb::SyncRepositoryRequest* request,
                                                pb::SyncCatalogResponse* response) {
  return rpc::Handle(*context, guard_, *request, [&](const rpc::Call&) {
    return repositories_.SyncOne(request->id(), response);
  });
}

grpc::Status CatalogGrpcService::SyncCatalog(grpc::ServerContext* context,
                                             const pb::SyncCatalogRequest* request,
                                             pb::SyncCatalogResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return repositories_.SyncAll(response); });
}

grpc::Status CatalogGrpcService::ListCatalogTemplates(
    grpc::ServerContext* context, const pb::ListCatalogTemplatesRequest* request,
    pb::ListCatalogTemplatesResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return marketplace_.Browse(*request, response); });
}

grpc::Status CatalogGrpcService::InstallCatalogTemplate(
    grpc::ServerContext* context, const pb::InstallCatalogTemplateRequest* request,
    pb::Template* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return marketplace_.Install(*request, response); });
}

grpc::Status CatalogGrpcService::RepositoryWebhook(grpc::ServerContext* context,
                                                   const pb::RepositoryWebhookRequest* request,
                                                   pb::RepositoryWebhookResponse* response) {
  return rpc::Handle(*context, guard_, *request,
                     [&](const rpc::Call&) { return repositories_.Webhook(*request, response); });
}

}  // namespace ss::catalog
