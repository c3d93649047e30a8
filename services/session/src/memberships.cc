#include "memberships.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

#include "core/text.h"

namespace ss::session {
namespace {

namespace auth = streamspace::auth::v1;

constexpr std::chrono::seconds kFetchDeadline{2};

}  // namespace

std::vector<core::Variable> MembershipVariables() {
  return {{"GROUP_POLL_INTERVAL", "2s",
           "How often group memberships are read from auth (a change reaches quota checks "
           "within this)."}};
}

std::chrono::milliseconds GroupPollIntervalFrom(const core::Config& config) {
  return config.GetDuration("GROUP_POLL_INTERVAL", std::chrono::milliseconds(50));
}

GrpcMembershipSource::GrpcMembershipSource(std::shared_ptr<grpc::Channel> auth,
                                           std::shared_ptr<authn::ServiceCredentials> credentials)
    : stub_(auth::AuthService::NewStub(auth)), credentials_(std::move(credentials)) {}

grpc::Status GrpcMembershipSource::Fetch(int64_t known_version, auth::GroupDirectory* directory) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFetchDeadline);
  if (grpc::Status status = credentials_->Authorize(&context); !status.ok())
    return status;
  auth::GetGroupDirectoryRequest request;
  request.set_known_version(known_version);
  return stub_->GetGroupDirectory(&context, request, directory);
}

Memberships::Memberships(MembershipSource& source, std::chrono::milliseconds interval)
    : source_(source),
      snapshot_(std::make_shared<const Snapshot>()),
      poll_(interval, [this] { Refresh(); }) {}

void Memberships::Start() {
  poll_.Start();
}

void Memberships::Stop() {
  poll_.Stop();
}

std::shared_ptr<const Memberships::Snapshot> Memberships::Current() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

bool Memberships::Refresh() {
  const std::shared_ptr<const Snapshot> before = Current();
  std::lock_guard fetching(fetch_mutex_);
  // Another caller fetched while this one waited: that answer is as fresh as a new one.
  if (Current() != before)
    return true;
  auth::GroupDirectory directory;
  if (grpc::Status status = source_.Fetch(before->version, &directory); !status.ok()) {
    spdlog::warn("group memberships not read from auth: {}", status.error_message());
    return false;
  }
  if (!directory.changed())
    return true;
  auto next = std::make_shared<Snapshot>();
  next->version = directory.version();
  for (auth::DirectoryGroup& group : *directory.mutable_groups()) {
    if (group.has_parent_id())
      next->parents[group.id()] = group.parent_id();
    next->groups[group.id()] = MemberGroup{group.id(), std::move(*group.mutable_name())};
  }
  for (auth::DirectoryUser& user : *directory.mutable_users()) {
    MemberUser entry{user.id(), user.username(), {}};
    for (std::string& group : *user.mutable_group_ids()) {
      next->members[group].push_back(user.id());
      entry.group_ids.push_back(std::move(group));
    }
    next->ids_by_username[user.username()] = user.id();
    next->users[user.id()] = std::move(entry);
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
  return true;
}

std::optional<MemberUser> Memberships::FindUser(const std::string& id_or_name, bool fetch_on_miss) {
  const auto find = [&]() -> std::optional<MemberUser> {
    const std::shared_ptr<const Snapshot> snapshot = Current();
    if (auto found = snapshot->users.find(id_or_name); found != snapshot->users.end())
      return found->second;
    if (auto id = snapshot->ids_by_username.find(core::AsciiLower(id_or_name));
        id != snapshot->ids_by_username.end()) {
      return snapshot->users.at(id->second);
    }
    return std::nullopt;
  };
  if (auto found = find())
    return found;
  if (!fetch_on_miss || !Refresh())
    return std::nullopt;
  return find();
}

std::optional<MemberGroup> Memberships::FindGroup(const std::string& id) {
  const auto find = [&]() -> std::optional<MemberGroup> {
    const std::shared_ptr<const Snapshot> snapshot = Current();
    auto found = snapshot->groups.find(id);
    return found == snapshot->groups.end() ? std::nullopt : std::optional(found->second);
  };
  if (auto found = find())
    return found;
  if (!Refresh())
    return std::nullopt;
  return find();
}

std::vector<MemberGroup> Memberships::GroupsOf(const MemberUser& user) const {
  const std::shared_ptr<const Snapshot> snapshot = Current();
  std::vector<MemberGroup> groups;
  std::unordered_set<std::string> seen;
  for (const std::string& direct : user.group_ids) {
    // Auth refuses cycles; `seen` keeps a walk finite whatever the feed says.
    for (std::string id = direct; !id.empty() && seen.insert(id).second;) {
      auto group = snapshot->groups.find(id);
      if (group == snapshot->groups.end())
        break;
      groups.push_back(group->second);
      auto parent = snapshot->parents.find(id);
      id = parent == snapshot->parents.end() ? std::string() : parent->second;
    }
  }
  return groups;
}

std::vector<MemberUser> Memberships::MembersOf(const std::string& group_id) const {
  const std::shared_ptr<const Snapshot> snapshot = Current();
  std::unordered_map<std::string, std::vector<std::string>> children;
  for (const auto& [child, parent] : snapshot->parents)
    children[parent].push_back(child);
  std::vector<MemberUser> members;
  std::unordered_set<std::string> seen_users;
  std::unordered_set<std::string> seen_groups;
  std::vector<std::string> pending{group_id};
  while (!pending.empty()) {
    const std::string id = std::move(pending.back());
    pending.pop_back();
    if (!seen_groups.insert(id).second)
      continue;
    if (auto direct = snapshot->members.find(id); direct != snapshot->members.end()) {
      for (const std::string& user : direct->second) {
        if (seen_users.insert(user).second)
          members.push_back(snapshot->users.at(user));
      }
    }
    if (auto sub = children.find(id); sub != children.end())
      pending.insert(pending.end(), sub->second.begin(), sub->second.end());
  }
  return members;
}

}  // namespace ss::session
