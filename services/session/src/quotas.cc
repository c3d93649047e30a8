#include "quotas.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

#include "core/log.h"
#include "core/text.h"
#include "db/pool.h"
#include "kube/grpc_status.h"
#include "kube/json_read.h"
#include "kube/quantity.h"
#include "names.h"
#include "rpc/validation.h"
#include "session_resource.h"
#include "validation.h"

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;
using nlohmann::json;

constexpr const char* kManagedHomes = "app.kubernetes.io/managed-by=streamspace";

grpc::Status UserNotFound() {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
}

using rpc::Invalid;

// A partial update: the fields the request carries replace the stored ones.
template <typename Request>
QuotaRow Merged(QuotaRow row, const Request& request) {
  if (request.has_max_sessions())
    row.max_sessions = request.max_sessions();
  if (request.has_max_cpu())
    row.max_cpu = request.max_cpu();
  if (request.has_max_memory())
    row.max_memory = request.max_memory();
  if (request.has_max_storage())
    row.max_storage = request.max_storage();
  return row;
}

int64_t ClaimSize(const json& claim) {
  return kube::Value(kube::StringAt(
      kube::Child(kube::Child(kube::Child(claim, "spec"), "resources"), "requests"), "storage"));
}

}  // namespace

std::vector<core::Variable> QuotaVariables() {
  return {{"QUOTA_POLL_INTERVAL", "1s",
           "How often the limits are read again when another replica changed them."}};
}

std::chrono::milliseconds QuotaPollIntervalFrom(const core::Config& config) {
  return config.GetDuration("QUOTA_POLL_INTERVAL", std::chrono::milliseconds(50));
}

Quotas::Quotas(QuotaStore& store, Memberships& memberships, kube::Client& client,
               const SessionCache& cache, ConfigSource config, std::string ns,
               std::chrono::milliseconds poll_interval)
    : store_(store),
      memberships_(memberships),
      client_(client),
      cache_(cache),
      config_(std::move(config)),
      ns_(std::move(ns)),
      poll_(poll_interval, [this] { RefreshLimits(); }) {}

void Quotas::Start() {
  poll_.Start();
}

void Quotas::Stop() {
  poll_.Stop();
}

std::shared_ptr<const QuotaStore::Table> Quotas::Limits() {
  std::lock_guard lock(limits_mutex_);
  return limits_;
}

void Quotas::RefreshLimits() {
  const std::shared_ptr<const QuotaStore::Table> current = Limits();
  try {
    std::optional<QuotaStore::Table> read = store_.ReadIfChanged(current ? current->version : 0);
    if (!read)
      return;
    auto next = std::make_shared<const QuotaStore::Table>(std::move(*read));
    std::lock_guard lock(limits_mutex_);
    if (!limits_ || limits_->version < next->version)
      limits_ = std::move(next);
  } catch (const std::exception& e) {
    spdlog::warn("quota limits: keeping the last ones read: {}", core::FirstLine(e.what()));
  }
}

pb::EffectiveQuota Quotas::Effective(const MemberUser& user) {
  std::shared_ptr<const QuotaStore::Table> table = Limits();
  if (!table) {
    RefreshLimits();
    table = Limits();
    if (!table)
      throw db::Unavailable("the quota limits could not be read");
  }
  const auto row = [&](QuotaSubject subject, const std::string& id) -> const QuotaRow* {
    const auto found = table->rows.find({subject, id});
    return found == table->rows.end() ? nullptr : &found->second;
  };
  std::vector<GroupQuotaRow> group_rows;
  for (const MemberGroup& group : memberships_.GroupsOf(user)) {
    if (const QuotaRow* limits = row(QuotaSubject::kGroup, group.id))
      group_rows.push_back(GroupQuotaRow{group.name, *limits});
  }
  const pb::PlatformConfig config = config_();
  const QuotaRow defaults{config.default_max_sessions(), config.default_max_cpu(),
                          config.default_max_memory(), config.default_max_storage()};
  const QuotaRow* own = user.id.empty() ? nullptr : row(QuotaSubject::kUser, user.id);
  return ResolveQuota(own ? *own : QuotaRow{}, group_rows, defaults);
}

grpc::Status Quotas::LockedUse(const std::string& username, const std::vector<QuotaClaim>& claims,
                               bool with_home, std::vector<pb::Session>* sessions, Usage* use) {
  *sessions = WithClaims(cache_.OfUser(username), claims,
                         [this](const std::string& id) { return cache_.Seen(id); });
  std::optional<int64_t> home;
  const bool home_counted = std::any_of(sessions->begin(), sessions->end(),
                                        [](const pb::Session& s) { return s.persistent_home(); });
  // Homes outlive their sessions: without a session that mounts it, ask whether it exists.
  if (with_home && !home_counted) {
    auto claim =
        client_.Get(kube::resources::kPersistentVolumeClaims, ns_, HomeClaimName(username));
    if (claim)
      home = ClaimSize(*claim);
    else if (!claim.error().IsNotFound())
      return kube::ToGrpcStatus(claim.error(), "home of " + username);
  }
  *use = UseOf(*sessions, home, config_().home_size());
  return grpc::Status::OK;
}

grpc::Status Quotas::Admit(const std::string& username, const QuotaClaim& claim, bool may_add_home,
                           const DemandOf& demand_of, const CreateAction& act) {
  // A user auth does not know (yet) has no quota or groups of its own: the default applies.
  const MemberUser user = memberships_.FindUser(username).value_or(MemberUser{"", username, {}});
  const pb::EffectiveQuota limits = Effective(user);
  if (Unlimited(limits)) {
    std::string session = claim.session;
    return act(&session);
  }
  return store_.WithUserLock(
      username, claim,
      [&](const std::vector<QuotaClaim>& others, std::string* session) -> grpc::Status {
        std::vector<pb::Session> sessions;
        Usage use;
        // Only a new home can pass a storage limit: without one its size is not needed.
        const bool with_home = may_add_home && !limits.max_storage().value().empty();
        if (grpc::Status status = LockedUse(username, others, with_home, &sessions, &use);
            !status.ok()) {
          return status;
        }
        if (grpc::Status status = CheckQuota(limits, use, demand_of(sessions, use)); !status.ok()) {
          spdlog::info("{}: {}", username, status.error_message());
          return status;
        }
        return act(session);
      });
}

grpc::Status Quotas::AdmitCreate(const std::string& username, const std::string& name,
                                 const std::string& cpu, const std::string& memory,
                                 bool persistent_home, const CreateAction& create) {
  return Admit(
      username, QuotaClaim{name, kCreateClaim, cpu, memory, persistent_home}, persistent_home,
      [&](const std::vector<pb::Session>&, const Usage& use) {
        QuotaDemand demand{1, cpu, memory, 0};
        if (persistent_home && use.storage_bytes == 0)
          demand.storage_bytes = kube::Value(config_().home_size());
        return demand;
      },
      create);
}

grpc::Status Quotas::AdmitWake(const std::string& username, const std::string& session,
                               const Action& wake) {
  // A wake claim only marks the session running; its resources are the cache's.
  return Admit(
      username, QuotaClaim{session, kWakeClaim, "", "", false}, false,
      [&](const std::vector<pb::Session>& sessions, const Usage&) {
        for (const pb::Session& listed : sessions) {
          if (listed.name() == session && listed.state() == kHibernated)
            return QuotaDemand{0, listed.resources().cpu(), listed.resources().memory(), 0};
        }
        return QuotaDemand{};
      },
      [&](std::string*) { return wake(); });
}

void Quotas::Forget(const std::string& session) {
  // The write is done: a claim left behind only counts the session a minute longer.
  try {
    store_.ForgetClaim(session);
  } catch (const std::exception& e) {
    spdlog::warn("quota claim of {} not dropped: {}", session, core::FirstLine(e.what()));
  }
}

std::map<std::string, int64_t> Quotas::HomeSizes() const {
  std::map<std::string, int64_t> sizes;
  kube::ListOptions options;
  options.label_selector = kManagedHomes;
  auto claims = client_.List(kube::resources::kPersistentVolumeClaims, ns_, options);
  if (!claims) {
    spdlog::warn("home volumes not listed; their use shows as 0: {}", claims.error().ToString());
    return sizes;
  }
  for (const json& claim : claims->items)
    sizes[kube::StringAt(kube::Child(claim, "metadata"), "name")] = ClaimSize(claim);
  return sizes;
}

Usage Quotas::CachedUse(const std::string& username,
                        const std::map<std::string, int64_t>& homes) const {
  SessionQuery query;
  query.user = username;
  query.limit = std::numeric_limits<int>::max();
  const auto home = homes.find(HomeClaimName(username));
  return UseOf(cache_.List(query).sessions,
               home == homes.end() ? std::nullopt : std::optional(home->second),
               config_().home_size());
}

void Quotas::Fill(const MemberUser& user, const QuotaRow& row,
                  const std::map<std::string, int64_t>& homes, pb::UserQuota* quota) {
  quota->set_user_id(user.id);
  quota->set_username(user.username);
  FillQuota(row, CachedUse(user.username, homes), quota);
}

grpc::Status Quotas::FindUser(const std::string& user, MemberUser* found) {
  std::optional<MemberUser> known = memberships_.FindUser(user);
  if (!known)
    return UserNotFound();
  *found = std::move(*known);
  return grpc::Status::OK;
}

grpc::Status Quotas::GetUser(const rpc::Principal& caller, const std::string& user,
                             pb::UserQuota* quota) {
  if (user.empty())
    return Invalid("userId is required");
  if (user != caller.user_id && core::AsciiLower(user) != caller.username && !caller.privileged())
    return UserNotFound();
  MemberUser found;
  if (grpc::Status status = FindUser(user, &found); !status.ok())
    return status;
  Fill(found, store_.ReadOne(QuotaSubject::kUser, found.id), HomeSizes(), quota);
  *quota->mutable_effective() = Effective(found);
  return grpc::Status::OK;
}

grpc::Status Quotas::SetUser(const pb::SetUserQuotaRequest& request, pb::UserQuota* quota) {
  if (request.user_id().empty())
    return Invalid("userId is required");
  MemberUser found;
  if (grpc::Status status = FindUser(request.user_id(), &found); !status.ok())
    return status;
  const QuotaRow row = Merged(store_.ReadOne(QuotaSubject::kUser, found.id), request);
  if (grpc::Status status = CheckQuotaRow(row); !status.ok())
    return status;
  Fill(found, store_.Write(QuotaSubject::kUser, found.id, Normalized(row)), HomeSizes(), quota);
  RefreshLimits();
  *quota->mutable_effective() = Effective(found);
  return grpc::Status::OK;
}

grpc::Status Quotas::GetGroup(const std::string& group_id, pb::GroupQuota* quota) {
  if (group_id.empty())
    return Invalid("groupId is required");
  if (!memberships_.FindGroup(group_id))
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "group not found");
  const std::map<std::string, int64_t> homes = HomeSizes();
  Usage use;
  for (const MemberUser& member : memberships_.MembersOf(group_id))
    use += CachedUse(member.username, homes);
  quota->set_group_id(group_id);
  FillQuota(store_.ReadOne(QuotaSubject::kGroup, group_id), use, quota);
  return grpc::Status::OK;
}

grpc::Status Quotas::SetGroup(const pb::SetGroupQuotaRequest& request, pb::GroupQuota* quota) {
  if (request.group_id().empty())
    return Invalid("groupId is required");
  if (!memberships_.FindGroup(request.group_id()))
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "group not found");
  const QuotaRow row = Merged(store_.ReadOne(QuotaSubject::kGroup, request.group_id()), request);
  if (grpc::Status status = CheckQuotaRow(row); !status.ok())
    return status;
  store_.Write(QuotaSubject::kGroup, request.group_id(), Normalized(row));
  RefreshLimits();
  return GetGroup(request.group_id(), quota);
}

grpc::Status Quotas::List(pb::ListQuotasResponse* response) {
  const std::map<std::string, int64_t> homes = HomeSizes();
  for (const auto& [id, row] : store_.ReadUsers()) {
    // Users deleted in auth keep their row until their quota is deleted; they are not listed.
    std::optional<MemberUser> user = memberships_.FindUser(id, false);
    if (user)
      Fill(*user, row, homes, response->add_quotas());
  }
  std::sort(
      response->mutable_quotas()->begin(), response->mutable_quotas()->end(),
      [](const pb::UserQuota& a, const pb::UserQuota& b) { return a.username() < b.username(); });
  response->set_total(response->quotas_size());
  return grpc::Status::OK;
}

grpc::Status Quotas::Put(const pb::PutQuotaRequest& request, pb::UserQuota* quota) {
  if (request.username().empty())
    return Invalid("username is required");
  MemberUser found;
  if (grpc::Status status = FindUser(request.username(), &found); !status.ok())
    return status;
  const QuotaRow row{request.max_sessions(), request.max_cpu(), request.max_memory(),
                     request.max_storage()};
  if (grpc::Status status = CheckQuotaRow(row); !status.ok())
    return status;
  Fill(found, store_.Write(QuotaSubject::kUser, found.id, Normalized(row)), HomeSizes(), quota);
  RefreshLimits();
  *quota->mutable_effective() = Effective(found);
  return grpc::Status::OK;
}

grpc::Status Quotas::Delete(const std::string& username) {
  if (username.empty())
    return Invalid("username is required");
  MemberUser found;
  if (grpc::Status status = FindUser(username, &found); !status.ok())
    return status;
  store_.Write(QuotaSubject::kUser, found.id, QuotaRow{});
  RefreshLimits();
  return grpc::Status::OK;
}

grpc::Status Quotas::GetMany(const pb::GetUserQuotasRequest& request,
                             pb::GetUserQuotasResponse* response) {
  if (request.user_ids_size() > 1000)
    return Invalid("at most 1000 userIds");
  const std::vector<std::string> ids(request.user_ids().begin(), request.user_ids().end());
  const std::map<std::string, QuotaRow> rows = store_.ReadUsers(ids);
  // One fetch at most for users auth created since the last poll.
  if (std::any_of(ids.begin(), ids.end(),
                  [this](const std::string& id) { return !memberships_.FindUser(id, false); })) {
    memberships_.Refresh();
  }
  const std::map<std::string, int64_t> homes = HomeSizes();
  for (const std::string& id : ids) {
    std::optional<MemberUser> user = memberships_.FindUser(id, false);
    if (!user)
      continue;
    const auto row = rows.find(user->id);
    Fill(*user, row == rows.end() ? QuotaRow{} : row->second, homes, response->add_quotas());
  }
  return grpc::Status::OK;
}

}  // namespace ss::session
