// Quotas as the API sees them: the routes' logic (who may read or set which quota, in the shapes
// the web UI reads) and the admission of creates and wakes. Limits come from session.quotas, kept
// in memory and read again when its version moves (polled every QUOTA_POLL_INTERVAL, and at once
// after this replica's own changes); groups from Memberships; the default from the platform
// config.
//
// Admission must hold across replicas and concurrent calls: with any limit set, the check and the
// write it admits run under the user's advisory lock in Postgres. The use is this replica's cache
// plus the claims (quota_store.h) of writes admitted under that lock that the cache has not seen
// yet: a create another replica acknowledged a moment ago counts before the watch brings it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/periodic.h"
#include "kube/client.h"
#include "memberships.h"
#include "quota.h"
#include "quota_store.h"
#include "rpc/call.h"
#include "session_cache.h"
#include "streamspace/session/v1/session.pb.h"

namespace ss::session {

// QUOTA_POLL_INTERVAL.
std::vector<core::Variable> QuotaVariables();
std::chrono::milliseconds QuotaPollIntervalFrom(const core::Config& config);

class Quotas {
 public:
  using ConfigSource = std::function<streamspace::session::v1::PlatformConfig()>;
  using Action = std::function<grpc::Status()>;
  // Creates the session named `*name`; when that name is taken it may create another and name
  // it in `*name`.
  using CreateAction = std::function<grpc::Status(std::string* name)>;

  Quotas(QuotaStore& store, Memberships& memberships, kube::Client& client,
         const SessionCache& cache, ConfigSource config, std::string ns,
         std::chrono::milliseconds poll_interval);
  // The poll of the limits.
  void Start();
  void Stop();

  // Runs `create` when `username` may start one more session, `name`, asking for `cpu` and
  // `memory` (and a home volume, when `persistent_home` and the user has none);
  // RESOURCE_EXHAUSTED otherwise.
  grpc::Status AdmitCreate(const std::string& username, const std::string& name,
                           const std::string& cpu, const std::string& memory, bool persistent_home,
                           const CreateAction& create);
  // Runs `wake` when the CPU and memory of `session` (hibernated now) fit in the user's limits.
  grpc::Status AdmitWake(const std::string& username, const std::string& session,
                         const Action& wake);
  // A session deleted or hibernated through the API: its claim no longer counts.
  void Forget(const std::string& session);

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
  // The limits that apply to `user` now. Throws db::Unavailable while the limits could never be
  // read (a check must not pass for want of them).
  streamspace::session::v1::EffectiveQuota Effective(const MemberUser& user);
  // Reads the limits again when their version moved.
  void RefreshLimits();
  std::shared_ptr<const QuotaStore::Table> Limits();
  // Admission of the write `claim` stands for: `demand_of(sessions, use)` says what it adds,
  // given the user's sessions and use under the lock (the home volume's size in it only when
  // `may_add_home`); `act` writes (and may rename the claimed session).
  using DemandOf = std::function<QuotaDemand(
      const std::vector<streamspace::session::v1::Session>& sessions, const Usage& use)>;
  grpc::Status Admit(const std::string& username, const QuotaClaim& claim, bool may_add_home,
                     const DemandOf& demand_of, const CreateAction& act);
  // The user's sessions as this replica's cache has them with the claims it has not seen yet
  // applied, and their use; the home volume is read from the API server only when `with_home`
  // and no session accounts for it.
  grpc::Status LockedUse(const std::string& username, const std::vector<QuotaClaim>& claims,
                         bool with_home, std::vector<streamspace::session::v1::Session>* sessions,
                         Usage* use);
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
  std::mutex limits_mutex_;
  std::shared_ptr<const QuotaStore::Table> limits_;
  core::Periodic poll_;
};

}  // namespace ss::session
