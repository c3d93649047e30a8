// Users, groups and memberships as the auth service feeds them (GetGroupDirectory), kept in
// memory: quotas resolve a user's groups and their ancestors from here. Polled every
// GROUP_POLL_INTERVAL (auth answers only its version while nothing changed), and at once when a
// user or group is not known yet.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "authn/remote.h"
#include "core/config.h"
#include "core/periodic.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::session {

// GROUP_POLL_INTERVAL.
std::vector<core::Variable> MembershipVariables();
std::chrono::milliseconds GroupPollIntervalFrom(const core::Config& config);

// Where the directory comes from (auth over gRPC; a fake in unit tests).
class MembershipSource {
 public:
  virtual ~MembershipSource() = default;
  virtual grpc::Status Fetch(int64_t known_version,
                             streamspace::auth::v1::GroupDirectory* directory) = 0;
};

class GrpcMembershipSource final : public MembershipSource {
 public:
  GrpcMembershipSource(std::shared_ptr<grpc::Channel> auth,
                       std::shared_ptr<authn::ServiceCredentials> credentials);
  grpc::Status Fetch(int64_t known_version,
                     streamspace::auth::v1::GroupDirectory* directory) override;

 private:
  std::unique_ptr<streamspace::auth::v1::AuthService::Stub> stub_;
  std::shared_ptr<authn::ServiceCredentials> credentials_;
};

struct MemberUser {
  std::string id;
  std::string username;
  std::vector<std::string> group_ids;
};

struct MemberGroup {
  std::string id;
  std::string name;
};

class Memberships {
 public:
  Memberships(MembershipSource& source, std::chrono::milliseconds interval);
  void Start();
  void Stop();

  // Fetches the directory now (at most one fetch at a time; a caller that finds one running
  // waits for it). False when auth could not be asked.
  bool Refresh();

  // A user by id or username (lower-cased); fetches once more when not known and
  // `fetch_on_miss`.
  std::optional<MemberUser> FindUser(const std::string& id_or_name, bool fetch_on_miss = true);
  // A group by id; fetches once more when not known.
  std::optional<MemberGroup> FindGroup(const std::string& id);
  // The user's groups and all their ancestors, each once, nearest first.
  std::vector<MemberGroup> GroupsOf(const MemberUser& user) const;
  // The members of the group and of its subgroups (at any depth), each once.
  std::vector<MemberUser> MembersOf(const std::string& group_id) const;

 private:
  struct Snapshot {
    int64_t version = 0;
    std::unordered_map<std::string, MemberUser> users;
    std::unordered_map<std::string, std::string> ids_by_username;
    std::unordered_map<std::string, MemberGroup> groups;
    std::unordered_map<std::string, std::string> parents;
    std::unordered_map<std::string, std::vector<std::string>> members;
  };
  std::shared_ptr<const Snapshot> Current() const;

  MembershipSource& source_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex fetch_mutex_;
  core::Periodic poll_;
};

}  // namespace ss::session
