#include "group_rules.h"

#include <algorithm>

#include "core/text.h"
#include "rpc/validation.h"
#include "validation.h"

namespace ss::auth {
namespace {

using rpc::Invalid;

constexpr std::string_view kTypes[] = {"system", "organization", "team", "project"};
constexpr std::string_view kMemberRoles[] = {"member", "admin", "owner"};

template <std::size_t N>
bool OneOf(std::string_view value, const std::string_view (&allowed)[N]) {
  return std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed);
}

}  // namespace

std::optional<std::string> NormalizeGroupName(std::string_view name) {
  if (name.empty() || name.size() > kMaxGroupName)
    return std::nullopt;
  std::string normal = core::AsciiLower(name);
  for (char c : normal) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return std::nullopt;
  }
  return normal;
}

grpc::Status CheckGroupName(std::string_view name) {
  if (!NormalizeGroupName(name)) {
    return Invalid("name must be 1-63 characters of a-z, 0-9, '-' and '_'");
  }
  return grpc::Status::OK;
}

grpc::Status CheckGroupDisplayName(std::string_view display_name) {
  if (display_name.empty() || display_name.size() > kMaxGroupDisplayName ||
      !IsPrintableUtf8(display_name)) {
    return Invalid("displayName must be 1-128 characters of text without control characters");
  }
  return grpc::Status::OK;
}

grpc::Status CheckGroupDescription(std::string_view description) {
  if (description.size() > kMaxGroupDescription || !IsPrintableUtf8(description, true)) {
    return Invalid("description must be at most 1024 characters of text");
  }
  return grpc::Status::OK;
}

grpc::Status CheckGroupType(std::string_view type) {
  if (!OneOf(type, kTypes))
    return Invalid("type must be system, organization, team or project");
  return grpc::Status::OK;
}

grpc::Status CheckMemberRole(std::string_view role) {
  if (!OneOf(role, kMemberRoles))
    return Invalid("role must be member, admin or owner");
  return grpc::Status::OK;
}

grpc::Status CheckGroupId(std::string_view id, std::string_view field) {
  if (!rpc::IsUuid(id))
    return Invalid(std::string(field) + " must be a group id (a UUID)");
  return grpc::Status::OK;
}

std::optional<UserRef> ParseUserRef(std::string_view text) {
  // A UUID is 36 characters, a username at most 32: the two never overlap.
  if (rpc::IsUuid(text))
    return UserRef{core::AsciiLower(text), std::nullopt};
  if (auto username = rpc::NormalizeUsername(text))
    return UserRef{std::nullopt, std::move(*username)};
  return std::nullopt;
}

grpc::Status CheckNewParent(std::string_view group_id,
                            const std::vector<std::string>& parent_chain) {
  if (std::find(parent_chain.begin(), parent_chain.end(), group_id) != parent_chain.end()) {
    return Invalid(!parent_chain.empty() && parent_chain.front() == group_id
                       ? "a group cannot be its own parent"
                       : "parentId is a subgroup of this group: that would make a cycle");
  }
  return grpc::Status::OK;
}

grpc::Status CheckTypeChange(std::string_view current_type, std::string_view new_type) {
  if ((current_type == "system") != (new_type == "system")) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "a group's type cannot change to or from system");
  }
  return grpc::Status::OK;
}

}  // namespace ss::auth
