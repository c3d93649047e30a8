// Quotas as the API sees them: the routes' logic (who may read or set which quota, in the shapes
// the web UI reads) and the admission of creates and wakes. Limits are read from session.quotas on
// every check, groups from Memberships, the default from the platform config.
//
// Admission must hold across replicas and concurrent calls: with any limit set, the check and the
// write it admits run under the user's advisory lock in Postgres, and the use is listed from the
// API server inside it (never from this replica's cache, which may not have seen a create another
// replica acknowledged a moment ago). Displayed use comes from the cache.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "kube/client.h"
#include "memberships.h"
#include "quota.h"
#include "quota_store.h"
#include "rpc/call.h"
#include "session_cache.h"
#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

class Quotas {
 public:
  using ConfigSource = std::function<streamspace::session::v1::PlatformConfig()>;
  using Action = std::function<grpc::Status()>;

  Quotas(QuotaStore& store, Memberships& memberships, kube::Client& client,
         const SessionCache& cache, ConfigSource config, std::string ns);

  // Runs `create` when `username` may start one more session asking for `cpu` and `memory` (and
  // a home volume, when `persistent_home` and the user has none); RESOURCE_EXHAUSTED otherwise.
  grpc::Status AdmitCreate(const std::string& username, const std::string& cpu,
                           const std::string& memory, bool persistent_home, const Action& create);
  // Runs `wake` when the CPU and memory of `session` (hibernated now) fit in the user's limits.
  grpc::Status AdmitWake(const std::string& username, const std::string& session,
                         const Action& wake);

  grpc::Status GetUser(const rpc::Principal& caller, const std::string& user,
                       streamspace::session::v1::UserQuota* quota);
  grpc::Status SetUser(const streamspace::session::v1::SetUserQuotaRequest& request,
                       streamspace::session::v1::UserQuota* quota);
  grpc::Status GetGroup(const std::string& group_id, streamspace::session::v1::GroupQuota* quota);
  grpc::Status SetGroup(const streamspace::session::v1::SetGroupQuotaRequest& request,
                        streamspace::session::v1::GroupQuota* quota);
  grpc::Status List(streamspace::session::v1::ListQuotasResponse* response);
  grpc::Status Put(const streamspace::session::v1::PutQuotaRequest& request,
                   streamspace::session::v1::UserQuota* quota);
  grpc::Status Delete(const std::string& username);
  grpc::Status GetMany(const streamspace::session::v1::GetUserQuotasRequest& request,
                       streamspace::session::v1::GetUserQuotasResponse* response);

 private:
  // The limits that apply to `user` now.
  streamspace::session::v1::EffectiveQuota Effective(const MemberUser& user);
  // Admission: `demand_of(sessions, use)` says what the action adds, given the user's sessions
  // and use as the API server lists them under the lock.
  using DemandOf = std::function<QuotaDemand(
      const std::vector<streamspace::session::v1::Session>& sessions, const Usage& use)>;
  grpc::Status Admit(const std::string& username, const DemandOf& demand_of, const Action& act);
  // The user's sessions (not being deleted) and home volume from the API server.
  grpc::Status LiveUse(const std::string& username, bool with_home,
                       std::vector<streamspace::session::v1::Session>* sessions, Usage* use);
  // Use from the cache, with home sizes from one list of the claims (name -> bytes).
  Usage CachedUse(const std::string& username, const std::map<std::string, int64_t>& homes) const;
  std::map<std::string, int64_t> HomeSizes() const;
  // The user (the caller's own, or anyone's for admins, operators and services) or NOT_FOUND.
  grpc::Status FindUser(const std::string& user, MemberUser* found);
  void Fill(const MemberUser& user, const QuotaRow& row,
            const std::map<std::string, int64_t>& homes,
            streamspace::session::v1::UserQuota* quota);

  QuotaStore& store_;
  Memberships& memberships_;
  kube::Client& client_;
  const SessionCache& cache_;
  const ConfigSource config_;
  const std::string ns_;
};

}  // namespace ss::session
