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
    if (request.has_email() || request.has_role() || request.has_disabled()) {
      return Denied("only an admin may change email, role or disabled");
    }
  }
  grpc::Status status = FirstError(
      [&] { return request.has_email() ? CheckEmail(request.email()) : grpc::Status::OK; },
      [&] {
        return request.has_display_name() ? CheckDisplayName(request.display_name())
                                          : grpc::Status::OK;
      },
      [&] { return request.has_role() ? CheckRole(request.role()) : grpc::Status::OK; },
      [&] {
        return request.has_password() ? CheckNewPassword(request.password()) : grpc::Status::OK;
      },
      [&] {
        return request.has_current_password() ? CheckPresentedPassword(request.current_password())
                                              : grpc::Status::OK;
      });
  if (!status.ok())
    return status;
  if (self && caller.admin() &&
      ((request.has_role() && request.role() != "admin") ||
       (request.has_disabled() && request.disabled()))) {
    return Precondition("you cannot demote or disable yourself");
  }
  if (self && request.has_password() && !request.has_current_password()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "currentPassword is required to change your own password");
  }
  return grpc::Status::OK;
}

std::vector<core::Variable> AdminVariables() {
  return {{"ADMIN_PASSWORD", "",
           "Password of `admin` when the account is first created (12+ characters).", true}};
}

UserDirectory::UserDirectory(UserStore& users, int64_t revocation_lifetime_ms,
                             std::function<int64_t()> now_ms)
    : users_(users), revocation_lifetime_ms_(revocation_lifetime_ms), now_ms_(std::move(now_ms)) {}

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
  UserPage page = users_.List(after, page_size);
  for (pb::User& user : page.users)
    *response->add_users() = std::move(user);
  response->set_total(page.total);
  if (page.more && response->users_size() > 0) {
    response->set_next_page_token(EncodePageToken(response->users().rbegin()->username()));
  }
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Create(const pb::CreateUserRequest& request, pb::User* user) {
  const std::string role = request.role().empty() ? "user" : request.role();
  grpc::Status status = FirstError([&] { return CheckUsername(request.username()); },
                                   [&] { return CheckEmail(request.email()); },
                                   [&] { return CheckDisplayName(request.display_name()); },
                                   [&] { return CheckRole(role); },
                                   [&] { return CheckNewPassword(request.password()); });
  if (!status.ok())
    return status;
  UserChanges fields;
  fields.email = request.email();
  fields.display_name = request.display_name();
  fields.role = role;
  fields.password_hash = HashPassword(request.password());
  auto created = users_.Create(*NormalizeUsername(request.username()), fields);
  if (!created)
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "username is taken");
  spdlog::info("user {} created with role {}", created->username(), created->role());
  *user = std::move(*created);
  return grpc::Status::OK;
}

grpc::Status UserDirectory::Get(const rpc::Principal& caller, const pb::GetUserRequest& request,
                                pb::User* user) {
  if (grpc::Status status = CheckUserId(request.id()); !status.ok())
    return status;
  if (!caller.admin() && request.id() != caller.user_id) {
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
  const auto current = users_.FindRowById(request.id());
  if (!current)
    return NotFound();
  if (request.id() == caller.user_id && request.has_password() &&
      !VerifyPassword(current->password_hash, request.current_password())) {
    return Denied("currentPassword is wrong");
  }
  UserChanges changes;
  if (request.has_email())
    changes.email = request.email();
  if (request.has_display_name())
    changes.display_name = request.display_name();
  if (request.has_role())
    changes.role = request.role();
  if (request.has_disabled())
    changes.disabled = request.disabled();
  if (request.has_password())
    changes.password_hash = HashPassword(request.password());
  const bool revokes = request.has_password() ||
                       (request.has_role() && request.role() != current->user.role()) ||
                       (request.has_disabled() && request.disabled() && !current->user.disabled());
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
