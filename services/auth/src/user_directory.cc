#include "user_directory.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "passwords.h"
#include "rpc/page_token.h"
#include "validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

grpc::Status Denied(std::string message) {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, std::move(message));
}

grpc::Status NotFound() {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
}

grpc::Status Precondition(std::string message) {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, std::move(message));
}

grpc::Status FromWrite(WriteResult result) {
  switch (result) {
    case WriteResult::kDone:
      return grpc::Status::OK;
    case WriteResult::kNotFound:
      return NotFound();
    case WriteResult::kLastAdmin:
      return Precondition("the last enabled admin cannot be removed, demoted or disabled");
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unexpected store result");
}

template <typename... Checks>
grpc::Status FirstError(Checks&&... checks) {
  grpc::Status result = grpc::Status::OK;
  ((result.ok() ? (result = checks(), 0) : 0), ...);
  return result;
}

}  // namespace

grpc::Status CheckUpdate(const rpc::Principal& caller, const pb::UpdateUserRequest& request) {
  if (grpc::Status status = CheckUserId(request.id()); !status.ok())
    return status;
  const bool self = request.id() == caller.user_id;
  if (!caller.admin()) {
    // Decided before any lookup, so a user learns nothing about other ids.
    if (!self)
      return Denied("you may only change your own account");
    if (request.has_email() || request.has_role() || request.has_active() ||
        request.has_password()) {
      return Denied("only an admin may change email, role, active or password");
    }
  }
  grpc::Status status = FirstError(
      [&] { return request.has_email() ? CheckEmail(request.email()) : grpc::Status::OK; },
      [&] {
        return request.has_full_name() ? CheckFullName(request.full_name()) : grpc::Status::OK;
      },
      [&] { return request.has_role() ? CheckRole(request.role()) : grpc::Status::OK; },
      [&] {
        return request.has_password() ? CheckNewPassword(request.password()) : grpc::Status::OK;
      });
  if (!status.ok())
    return status;
  if (self && ((request.has_role() && request.role() != "admin") ||
               (request.has_active() && !request.active()))) {
    return Precondition("you cannot demote or disable yourself");
  }
  // A reset needs no old password; one's own change does (ChangePassword).
  if (self && request.has_password()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "change your own password with POST /api/v1/auth/change-password");
  }
  return grpc::Status::OK;
}

std::vector<core::Variable> AdminVariables() {
  return {{"ADMIN_PASSWORD", "",
           "Password of `admin` when the account is first created (12+ characters).", true}};
}

UserDirectory::UserDirectory(UserStore& users, UserQuotas& quotas, int64_t revocation_lifetime_ms,
                             std::function<int64_t()> now_ms)
    : users_(users),
      quotas_(quotas),
      revocation_lifetime_ms_(revocation_lifetime_ms),
      now_ms_(std::move(now_ms)) {}

UserRevocation UserDirectory::RevokeNow() const {
  const int64_t now = now_ms_();
  return UserRevocation{now, now + revocation_lifetime_ms_};
}

grpc::Status UserDirectory::GetMe(const rpc::Principal& caller, pb::User* user) {
  if (!rpc::IsUuid(caller.user_id))
    return NotFound();
  auto found = users_.FindById(caller.user_id);
  if (!found)
    return NotFound();
  *user = std::move(*found);
  return grpc::Status::OK;
}

grpc::Status UserDirectory::List(const pb::ListUsersRequest& request,
                                 pb::ListUsersResponse* response) {
  int page_size = 0;
  if (grpc::Status status = rpc::CheckPageSize(request.page_size(), &page_size); !status.ok()) {
    return status;
  }
  std::string after;
  if (!DecodePageToken(request.page_token(), &after)) {
    return rpc::InvalidPageToken();
  }
  UserFilter filter;
  if (!request.role().empty()) {
    if (grpc::Status status = CheckRole(request.role()); !status.ok())
      return status;
    filter.role = request.role();
  }
  if (!request.provider().empty()) {
    if (grpc::Status status = CheckProvider(request.provider()); !status.ok())
      return status;
    filter.provider = request.provider();
  }
  if (request.has_active())
    filter.active = request.active();
  UserPage page = users_.List(filter, after, page_size);
  for (pb::User& user : page.users)
    *response->add_users() = std::move(user);
  quotas_.Fill(response->mutable_users());
  response->set_total(page.total);
  if (page.more && response->users_size() > 0) {
    response->set_next_page_token(EncodePageToken(response->users().rbegin()->username()));
  }
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Stats(pb::UserStats* stats) {
  const UserCounts counts = users_.Counts();
  stats->set_total(counts.total);
  stats->set_active(counts.active);
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Create(const pb::CreateUserRequest& request, pb::User* user) {
  NewUser fields;
  if (!request.role().empty())
    fields.role = request.role();
  if (!request.provider().empty())
    fields.provider = request.provider();
  const bool local = fields.provider == "local";
  grpc::Status status = FirstError(
      [&] { return CheckUsername(request.username()); },
      [&] { return CheckEmail(request.email()); },
      [&] { return CheckFullName(request.full_name()); }, [&] { return CheckRole(fields.role); },
      [&] { return CheckProvider(fields.provider); },
      [&] {
        if (local)
          return CheckNewPassword(request.password());
        // The UI's form sends an empty password for single sign-on accounts.
        return request.password().empty() ? grpc::Status::OK
                                          : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                                         "password is only for local accounts");
      });
  if (!status.ok())
    return status;
  fields.email = request.email();
  fields.full_name = request.full_name();
  fields.active = !request.has_active() || request.active();
  if (local)
    fields.password_hash = HashPassword(request.password());
  auto created = users_.Create(*rpc::NormalizeUsername(request.username()), fields);
  if (!created)
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "username is taken");
  spdlog::info("user {} created with role {} ({})", created->username(), created->role(),
               created->provider());
  *user = std::move(*created);
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Get(const rpc::Principal& caller, const pb::GetUserRequest& request,
                                pb::User* user) {
  if (grpc::Status status = CheckUserId(request.id()); !status.ok())
    return status;
  if (!caller.admin() && !caller.operator_role() && request.id() != caller.user_id) {
    return Denied("you may only read your own account");
  }
  auto found = users_.FindById(request.id());
  if (!found)
    return NotFound();
  *user = std::move(*found);
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Update(const rpc::Principal& caller,
                                   const pb::UpdateUserRequest& request, pb::User* user) {
  if (grpc::Status status = CheckUpdate(caller, request); !status.ok())
    return status;
  const auto current = users_.FindById(request.id());
  if (!current)
    return NotFound();
  if (request.has_password() && current->provider() != "local") {
    return Precondition("the account signs in through " + current->provider() +
                        " and has no password here");
  }
  UserChanges changes;
  if (request.has_email())
    changes.email = request.email();
  if (request.has_full_name())
    changes.full_name = request.full_name();
  if (request.has_role())
    changes.role = request.role();
  if (request.has_active())
    changes.active = request.active();
  if (request.has_password())
    changes.password_hash = HashPassword(request.password());
  const bool revokes = request.has_password() ||
                       (request.has_role() && request.role() != current->role()) ||
                       (request.has_active() && !request.active() && current->active());
  std::optional<UserRevocation> revocation;
  if (revokes)
    revocation = RevokeNow();
  const WriteResult result = users_.Update(request.id(), changes, revocation, user);
  if (result == WriteResult::kDone && revokes) {
    spdlog::info("user {} changed by {}: earlier tokens revoked", user->username(),
                 caller.username);
  }
  return FromWrite(result);
}

grpc::Status UserDirectory::Delete(const rpc::Principal& caller,
                                   const pb::DeleteUserRequest& request) {
  if (grpc::Status status = CheckUserId(request.id()); !status.ok())
    return status;
  if (!caller.admin())
    return Denied("only an admin may delete users");
  if (request.id() == caller.user_id)
    return Precondition("you cannot delete yourself");
  const WriteResult result = users_.Delete(request.id(), RevokeNow());
  if (result == WriteResult::kDone)
    spdlog::info("user {} deleted by {}", request.id(), caller.username);
  return FromWrite(result);
}

void UserDirectory::BootstrapAdmin(const std::string& password) {
  if (users_.Exists("admin"))
    return;
  if (password.empty()) {
    throw std::runtime_error(
        "the admin account does not exist yet: set ADMIN_PASSWORD (at least 12 characters) to "
        "create it");
  }
  if (!CheckNewPassword(password).ok()) {
    throw std::runtime_error("ADMIN_PASSWORD must be 12 to 1024 characters long");
  }
  if (users_.CreateIfAbsent("admin", "admin", HashPassword(password))) {
    spdlog::info("created the bootstrap admin account 'admin'");
  }
}

}  // namespace ss::auth
