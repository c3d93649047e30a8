#include "api_tokens.h"

#include <fmt/format.h>

#include <set>

#include "core/rfc3339.h"
#include "rpc/validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

constexpr size_t kMaxName = 64;
constexpr int kMaxScopes = 32;

grpc::Status TokenNotFound() {
  return rpc::NotFound("API token not found");
}

// The caller as a user who may hold tokens (services may not).
bool IsUser(const rpc::Principal& caller) {
  return rpc::IsUuid(caller.user_id);
}

}  // namespace

grpc::Status ApiTokens::Create(const rpc::Principal& caller,
                               const pb::CreateApiTokenRequest& request,
                               pb::CreatedApiToken* created) {
  if (!IsUser(caller))
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only users hold API tokens");
  if (request.name().empty() || request.name().size() > kMaxName)
    return rpc::Invalid(fmt::format("name must be 1-{} characters", kMaxName));
  if (request.name().find_first_of("\r\n\t") != std::string::npos)
    return rpc::Invalid("name must not contain control characters");
  if (request.scopes().empty())
    return rpc::Invalid("scopes must name at least one scope, e.g. sessions:read");
  if (request.scopes_size() > kMaxScopes)
    return rpc::Invalid(fmt::format("at most {} scopes", kMaxScopes));
  std::set<std::string> scopes;
  for (const std::string& scope : request.scopes()) {
    if (!rpc::GrantableScope(scope)) {
      return rpc::Invalid(fmt::format(
          "scope '{}' is not one of <area>:read or <area>:write, the areas being sessions, "
          "templates, catalog, users, groups, quotas, nodes, platform and audit",
          scope.substr(0, kMaxName)));
    }
    scopes.insert(scope);
  }
  const auto now = std::chrono::system_clock::now();
  auto expires_at = now + options_.default_lifetime;
  if (!request.expires_at().empty()) {
    const auto given = core::ParseRfc3339(request.expires_at());
    if (!given)
      return rpc::Invalid("expiresAt must be an RFC 3339 time");
    if (*given <= now)
      return rpc::Invalid("expiresAt must be in the future");
    if (*given > now + options_.max_lifetime) {
      return rpc::Invalid(fmt::format("expiresAt must be at most {} days away",
                                      options_.max_lifetime.count() / 24));
    }
    expires_at = *given;
  }
  const authn::NewApiToken made = authn::MakeApiToken();
  NewTokenRow row{made.id,
                  caller.user_id,
                  request.name(),
                  made.secret_hash,
                  {scopes.begin(), scopes.end()},
                  core::FormatRfc3339(expires_at)};
  switch (store_.Insert(row, options_.max_per_user, created->mutable_api_token())) {
    case TokenInsert::kDone:
      created->set_token(made.text);
      return grpc::Status::OK;
    case TokenInsert::kDuplicateName:
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          "you already have an API token with this name");
    case TokenInsert::kTooMany:
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          fmt::format("at most {} API tokens per user: revoke one first", options_.max_per_user));
    case TokenInsert::kNoUser:
      return rpc::NotFound("user not found");
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unexpected store result");
}

grpc::Status ApiTokens::List(const rpc::Principal& caller, const pb::ListApiTokensRequest& request,
                             pb::ListApiTokensResponse* response) {
  if (!IsUser(caller))
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only users hold API tokens");
  std::string user_id = caller.user_id;
  if (!request.user().empty() && request.user() != caller.user_id &&
      request.user() != caller.username) {
    // Another user's tokens: admins only; to anyone else that user does not exist.
    if (!caller.admin())
      return rpc::NotFound("user not found");
    std::optional<UserRow> found;
    if (rpc::IsUuid(request.user())) {
      found = users_.FindRowById(request.user());
    } else if (const auto username = rpc::NormalizeUsername(request.user())) {
      found = users_.FindByUsername(*username);
    }
    if (!found)
      return rpc::NotFound("user not found");
    user_id = found->user.id();
  }
  for (pb::ApiToken& token : store_.List(user_id))
    *response->add_tokens() = std::move(token);
  response->set_total(response->tokens_size());
  return grpc::Status::OK;
}

grpc::Status ApiTokens::Delete(const rpc::Principal& caller,
                               const pb::DeleteApiTokenRequest& request) {
  if (!IsUser(caller))
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only users hold API tokens");
  std::string_view id;
  std::string_view secret;
  // The id alone, or a whole token pasted by mistake: revoking it is what its holder wants.
  const std::string token_id =
      authn::SplitApiToken(request.id(), &id, &secret) ? std::string(id) : request.id();
  if (token_id.size() != 32 || token_id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return TokenNotFound();
  // Another user's token is not found, unless the caller is an admin.
  if (!store_.Delete(token_id,
                     caller.admin() ? std::nullopt : std::optional<std::string>(caller.user_id))) {
    return TokenNotFound();
  }
  return grpc::Status::OK;
}

grpc::Status ApiTokens::Sync(const pb::SyncApiTokensRequest& request,
                             pb::ApiTokenDirectory* directory) {
  std::vector<authn::ApiTokenUse> uses;
  uses.reserve(request.uses_size());
  for (const pb::ApiTokenUse& use : request.uses())
    uses.push_back({use.token_id(), use.used_at_ms()});
  const authn::ApiTokenSnapshot snapshot = Snapshot(request.known_version(), uses);
  directory->set_version(snapshot.version);
  directory->set_changed(snapshot.changed);
  for (const authn::ApiTokenGrant& grant : snapshot.tokens) {
    pb::ApiTokenGrant* out = directory->add_tokens();
    out->set_id(grant.id);
    out->set_secret_hash(grant.secret_hash);
    out->set_user_id(grant.user_id);
    out->set_username(grant.username);
    out->set_role(grant.role);
    out->set_active(grant.active);
    for (const std::string& scope : grant.scopes)
      out->add_scopes(scope);
    out->set_expires_at_ms(grant.expires_at_ms);
  }
  return grpc::Status::OK;
}

authn::ApiTokenSnapshot ApiTokens::Snapshot(int64_t known_version,
                                            const std::vector<authn::ApiTokenUse>& uses) {
  store_.RecordUses(uses);
  return store_.Sync(known_version);
}

void ApiTokens::PruneExpired() {
  store_.PruneExpired(options_.keep_expired_days);
}

}  // namespace ss::auth
