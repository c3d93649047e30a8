// The groups and memberships tables (schema auth, migrations/003_groups.sql): every statement is a
// db::Query in group_store.cc. Each change runs in one transaction; changes of the tree (a group
// with a parent created, a parent changed, a group deleted) take one advisory lock, so that two of
// them never decide on the same stale picture of the tree.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "group_rules.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

// ListGroups' filters; unset ones match every group.
struct GroupFilter {
  std::optional<std::string> type;
  // Direct subgroups of this group.
  std::optional<std::string> parent_id;
  // Groups this user belongs to directly.
  std::optional<std::string> member_id;
};

struct NewGroup {
  std::string name;
  std::string display_name;
  std::string description;
  std::string type;
  std::optional<std::string> parent_id;
};

// The fields an update sets; unset ones keep their value.
struct GroupChanges {
  std::optional<std::string> display_name;
  std::optional<std::string> description;
  std::optional<std::string> type;
  // "" makes the group top-level.
  std::optional<std::string> parent_id;
};

enum class GroupWrite {
  kDone,
  kNotFound,
  kNameTaken,
  kParentNotFound,
  kUserNotFound,
  kAlreadyMember,
  kNotMember,
  kSystemGroup,
  kHasSubgroups,
  // The caller's check refused the change.
  kRefused,
};

// Asked inside an update's transaction with the group as it is (locked) and, when the parent
// changes to a group, that group followed by its ancestors, nearest first (else empty). False
// refuses the change.
using GroupUpdateCheck = std::function<bool(const streamspace::auth::v1::Group& current,
                                            const std::vector<std::string>& parent_chain)>;

class GroupStore {
 public:
  explicit GroupStore(db::Pool& pool) : pool_(pool) {}

  // Ordered by name, with their direct member counts.
  std::vector<streamspace::auth::v1::Group> List(const GroupFilter& filter);
  std::optional<streamspace::auth::v1::Group> Find(const std::string& id);
  bool IsMember(const std::string& group_id, const std::string& user_id);
  std::optional<streamspace::auth::v1::User> FindUser(const UserRef& user);

  GroupWrite Create(const NewGroup& group, streamspace::auth::v1::Group* created);
  GroupWrite Update(const std::string& id, const GroupChanges& changes,
                    const GroupUpdateCheck& check, streamspace::auth::v1::Group* updated);
  // Refuses system groups and groups with subgroups; memberships go with the group.
  GroupWrite Delete(const std::string& id);

  // Direct members ordered by username; kNotFound for an unknown group.
  GroupWrite Members(const std::string& group_id,
                     std::vector<streamspace::auth::v1::GroupMember>* members);
  GroupWrite AddMember(const std::string& group_id, const UserRef& user, const std::string& role,
                       streamspace::auth::v1::GroupMember* member);
  GroupWrite UpdateMember(const std::string& group_id, const UserRef& user, const std::string& role,
                          streamspace::auth::v1::GroupMember* member);
  GroupWrite RemoveMember(const std::string& group_id, const UserRef& user);

  // The version; with every user and group when it is not `known_version`. One REPEATABLE READ
  // transaction, so that the lists and the version agree.
  void Directory(int64_t known_version, streamspace::auth::v1::GroupDirectory* directory);

 private:
  db::Pool& pool_;
};

}  // namespace ss::auth
