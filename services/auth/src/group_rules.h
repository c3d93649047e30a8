// Input and tree rules of the groups API (issue 16). Pure functions: each returns OK or the
// status to answer, so that they are tested without a database.
#pragma once

#include <grpcpp/support/status.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ss::auth {

inline constexpr std::size_t kMaxGroupName = 63;
inline constexpr std::size_t kMaxGroupDisplayName = 128;
inline constexpr std::size_t kMaxGroupDescription = 1024;

// The name in lower case when it then matches the web UI's rule ^[a-z0-9_-]+$ (CreateGroup.tsx)
// in at most 63 characters, else nullopt.
std::optional<std::string> NormalizeGroupName(std::string_view name);
grpc::Status CheckGroupName(std::string_view name);
// 1-128 characters of UTF-8 text without control characters.
grpc::Status CheckGroupDisplayName(std::string_view display_name);
// At most 1024 characters of UTF-8 text; line breaks and tabs allowed.
grpc::Status CheckGroupDescription(std::string_view description);
// system | organization | team | project
grpc::Status CheckGroupType(std::string_view type);
// member | admin | owner
grpc::Status CheckMemberRole(std::string_view role);
// A group id: a UUID. `field` names it in the message ("id", "parentId").
grpc::Status CheckGroupId(std::string_view id, std::string_view field);

// A user named by id or by username, as AddGroupMember's userId and ListUserGroups' id take it.
struct UserRef {
  std::optional<std::string> id;
  std::optional<std::string> username;
};
// The id in lower case (as Postgres prints it) or the normalized username; nullopt when `text` is
// neither a UUID nor a valid username.
std::optional<UserRef> ParseUserRef(std::string_view text);

// Whether `group_id` may take the parent whose chain is `parent_chain`: that group followed by its
// ancestors, nearest first. A group that is its own ancestor would make a cycle (INVALID_ARGUMENT).
grpc::Status CheckNewParent(std::string_view group_id,
                            const std::vector<std::string>& parent_chain);

// A group is created system or not, and stays so: a system group cannot be deleted, so a type
// that moved to or from system would make that protection a formality (PERMISSION_DENIED).
grpc::Status CheckTypeChange(std::string_view current_type, std::string_view new_type);

}  // namespace ss::auth
