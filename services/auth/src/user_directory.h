// The users API: who may read and change which account, input rules, and the revocations that
// make disabling, role and password changes take effect on every token at once.
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>

#include "core/config.h"
#include "rpc/call.h"
#include "session_quotas.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "user_store.h"

namespace ss::auth {

// ADMIN_PASSWORD, the bootstrap admin's password (UserDirectory::BootstrapAdmin).
std::vector<core::Variable> AdminVariables();

class UserDirectory {
 public:
  // `revocation_lifetime_ms`: how long a user revocation must be kept (RevocationLifetimeMs);
  // `quotas` fills the quotas on the user list.
  UserDirectory(UserStore& users, UserQuotas& quotas, int64_t revocation_lifetime_ms,
                std::function<int64_t()> now_ms);

  grpc::Status GetMe(const rpc::Principal& caller, streamspace::auth::v1::User* user);
  // Admins and operators (the method's access level), with the filters of the request; each user
  // with their direct groups and, when the session service answers in time, their quota.
  grpc::Status List(const streamspace::auth::v1::ListUsersRequest& request,
                    streamspace::auth::v1::ListUsersResponse* response);
  // Every user, and those not disabled (the admin dashboard).
  grpc::Status Stats(streamspace::auth::v1::UserStats* stats);
  grpc::Status Create(const streamspace::auth::v1::CreateUserRequest& request,
                      streamspace::auth::v1::User* user);
  grpc::Status Get(const rpc::Principal& caller,
                   const streamspace::auth::v1::GetUserRequest& request,
                   streamspace::auth::v1::User* user);
  grpc::Status Update(const rpc::Principal& caller,
                      const streamspace::auth::v1::UpdateUserRequest& request,
                      streamspace::auth::v1::User* user);
  grpc::Status Delete(const rpc::Principal& caller,
                      const streamspace::auth::v1::DeleteUserRequest& request);

  // Creates `admin` with `password` (ADMIN_PASSWORD) unless it exists. Throws
  // std::runtime_error when it must be created and the password is empty or breaks the rules.
  void BootstrapAdmin(const std::string& password);

 private:
  UserRevocation RevokeNow() const;

  UserStore& users_;
  UserQuotas& quotas_;
  int64_t revocation_lifetime_ms_;
  std::function<int64_t()> now_ms_;
};

// The checks of UpdateUser that need no database: caller rights and field rules. Only an admin
// changes another account, or email, role, active or a password (a reset, never their own: that
// is ChangePassword with the old one).
grpc::Status CheckUpdate(const rpc::Principal& caller,
                         const streamspace::auth::v1::UpdateUserRequest& request);

}  // namespace ss::auth
