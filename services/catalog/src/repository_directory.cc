#include "repository_directory.h"

#include <spdlog/spdlog.h>

#include "core/config.h"
#include "rpc/validation.h"
#include "validation.h"
#include "webhook_signature.h"

namespace ss::catalog {
namespace {

namespace pb = streamspace::catalog::v1;

using rpc::Invalid;

grpc::Status NotFound(std::int32_t id) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      "repository " + std::to_string(id) + " not found");
}

constexpr size_t kMaxSecretBytes = 4096;
constexpr size_t kMaxNameBytes = 100;

// A repository's name is the web UI's free-form label: 1-100 bytes, no control characters.
bool IsRepositoryName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes || name.front() == ' ' || name.back() == ' ')
    return false;
  for (unsigned char c : name) {
    if (c < ' ' || c == 0x7f)
      return false;
  }
  return true;
}

// What a caller who is neither admin nor operator sees of a repository.
void Redact(bool privileged, pb::Repository& repository) {
  if (!privileged)
    repository.clear_username();
}

}  // namespace

RepositoryDirectory::RepositoryDirectory(RepositoryStore& store, CatalogSync& sync,
                                         const GitMirror& mirror, const SecretBox& secrets,
                                         Marketplace& marketplace, bool allow_local)
    : store_(store),
      sync_(sync),
      mirror_(mirror),
      secrets_(secrets),
      marketplace_(marketplace),
      allow_local_(allow_local) {}

grpc::Status RepositoryDirectory::Create(const pb::CreateRepositoryRequest& request,
                                         pb::Repository* response) {
  NewRepository fields;
  fields.name = request.name();
  if (!IsRepositoryName(fields.name))
    return Invalid(
        "name is required: 1 to 100 characters, no control characters or surrounding spaces");
  fields.url = request.url();
  auto status = CheckRepositoryUrl(fields.url, allow_local_);
  if (!status.ok())
    return status;
  fields.branch = request.branch().empty() ? "main" : request.branch();
  status = CheckBranch(fields.branch);
  if (!status.ok())
    return status;
  fields.auth_type = request.auth_type().empty() ? "none" : request.auth_type();
  if (fields.auth_type != "none" && fields.auth_type != "token" && fields.auth_type != "basic")
    return Invalid("authType must be none, token or basic");
  if (fields.auth_type == "none" && (!request.auth_secret().empty() || !request.username().empty()))
    return Invalid("authType none takes no username or authSecret");
  if (fields.auth_type != "none" && request.auth_secret().empty())
    return Invalid("authType " + fields.auth_type + " needs an authSecret");
  if (fields.auth_type == "basic" && request.username().empty())
    return Invalid("authType basic needs a username");
  if (request.username().size() > 256)
    return Invalid("username is too long (256 characters at most)");
  if (request.auth_secret().size() > kMaxSecretBytes ||
      request.webhook_secret().size() > kMaxSecretBytes)
    return Invalid("secrets are 4096 bytes at most");
  fields.username = request.username();
  if (!request.sync_interval().empty()) {
    try {
      const auto interval = core::ParseDuration(request.sync_interval());
      if (interval < std::chrono::minutes(1))
        return Invalid("syncInterval must be at least 1m");
      fields.sync_interval_ms = interval.count();
    } catch (const core::ConfigError& error) {
      return Invalid(std::string("syncInterval: ") + error.what());
    }
    fields.sync_interval = request.sync_interval();
  }
  if (!request.auth_secret().empty())
    fields.secret_sealed = secrets_.Seal(request.auth_secret());
  if (!request.webhook_secret().empty())
    fields.webhook_secret_sealed = secrets_.Seal(request.webhook_secret());
  auto created = store_.Create(fields);
  if (!created)
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                        "repository " + fields.name + " already exists");
  sync_.Enqueue(created->id(), "create");
  created->set_status("queued");
  *response = std::move(*created);
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::List(const pb::ListRepositoriesRequest& request, bool privileged,
                                       pb::ListRepositoriesResponse* response) {
  int offset = 0;
  int limit = 0;
  auto status = PageBounds(request.page_size(), request.page_token(), &offset, &limit);
  if (!status.ok())
    return status;
  int total = 0;
  for (auto& repository : store_.List(offset, limit, &total)) {
    Redact(privileged, repository);
    *response->add_repositories() = std::move(repository);
  }
  response->set_total(total);
  response->set_next_page_token(NextPageToken(offset, limit, total));
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::Get(std::int32_t id, bool privileged, pb::Repository* response) {
  auto row = store_.Get(id);
  if (!row)
    return NotFound(id);
  Redact(privileged, row->repository);
  *response = std::move(row->repository);
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::Delete(std::int32_t id) {
  const Marketplace::WriteScope writing(marketplace_);
  if (!store_.Delete(id))
    return NotFound(id);
  mirror_.Remove(id);
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::ListRuns(const pb::ListSyncRunsRequest& request,
                                           pb::ListSyncRunsResponse* response) {
  if (!store_.Get(request.repository_id()))
    return NotFound(request.repository_id());
  int offset = 0;
  int limit = 0;
  auto status = PageBounds(request.page_size(), request.page_token(), &offset, &limit);
  if (!status.ok())
    return status;
  int total = 0;
  for (auto& run : store_.ListRuns(request.repository_id(), offset, limit, &total))
    *response->add_syncs() = std::move(run);
  response->set_total(total);
  response->set_next_page_token(NextPageToken(offset, limit, total));
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::SyncOne(std::int32_t id, pb::SyncCatalogResponse* response) {
  if (!sync_.Enqueue(id, "request"))
    return NotFound(id);
  response->add_queued(id);
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::SyncAll(pb::SyncCatalogResponse* response) {
  for (const std::int32_t id : store_.AllIds()) {
    if (sync_.Enqueue(id, "request"))
      response->add_queued(id);
  }
  return grpc::Status::OK;
}

grpc::Status RepositoryDirectory::Webhook(const pb::RepositoryWebhookRequest& request,
                                          pb::RepositoryWebhookResponse* response) {
  const std::int32_t id = request.repository();
  const auto row = store_.Get(id);
  if (!row)
    return NotFound(id);
  const grpc::Status refused(grpc::StatusCode::UNAUTHENTICATED,
                             "missing or wrong webhook signature");
  if (row->webhook_secret_sealed.empty())
    return refused;
  const auto secret = secrets_.Open(row->webhook_secret_sealed);
  if (!secret) {
    spdlog::error("webhook of repository {}: its secret cannot be read", row->repository.name());
    return refused;
  }
  const bool signed_by_github =
      !request.signature().empty() &&
      VerifyGitHubSignature(*secret, request.payload(), request.signature());
  const bool signed_by_gitlab =
      !request.gitlab_token().empty() && VerifyGitLabToken(*secret, request.gitlab_token());
  if (!signed_by_github && !signed_by_gitlab) {
    spdlog::warn("webhook of repository {}: refused (bad or missing signature)",
                 row->repository.name());
    return refused;
  }
  if (request.event() == "ping") {
    response->set_queued(false);
    return grpc::Status::OK;
  }
  response->set_queued(sync_.Enqueue(id, "webhook"));
  return grpc::Status::OK;
}

}  // namespace ss::catalog
