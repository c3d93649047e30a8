#include "group_roster.h"

#include <spdlog/spdlog.h>

#include "group_rules.h"
#include "rpc/validation.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

using rpc::Invalid;

grpc::Status GroupNotFound() {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "group not found");
}

grpc::Status FromWrite(GroupWrite result) {
  switch (result) {
    case GroupWrite::kDone:
      return grpc::Status::OK;
    case GroupWrite::kNotFound:
      return GroupNotFound();
    case GroupWrite::kNameTaken:
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "a group of that name exists");
    case GroupWrite::kParentNotFound:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "parent group not found");
    case GroupWrite::kUserNotFound:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
    case GroupWrite::kAlreadyMember:
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "the user is a member already");
    case GroupWrite::kNotMember:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "the user is not a member of the group");
    // No one may delete a system group, admins included: a permission the API never grants,
    // not a state the caller could change (the type of a system group is fixed).
    case GroupWrite::kSystemGroup:
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "a system group cannot be deleted");
    case GroupWrite::kHasSubgroups:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the group has subgroups: delete or move them first");
    case GroupWrite::kRefused:
      break;
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unexpected store result");
}

// The user a request names by id or username, or INVALID_ARGUMENT naming `field`.
grpc::Status ParseUser(std::string_view text, std::string_view field, UserRef* user) {
  auto parsed = ParseUserRef(text);
  if (!parsed)
    return Invalid(std::string(field) + " must be a user id or a username");
  *user = std::move(*parsed);
  return grpc::Status::OK;
}

// A plain user names themself by id or username; anything else is another user.
bool IsCaller(const rpc::Principal& caller, const UserRef& user) {
  return user.id ? *user.id == caller.user_id : user.username == caller.username;
}

}  // namespace

grpc::Status GroupRoster::List(const rpc::Principal& caller, const pb::ListGroupsRequest& request,
                               pb::ListGroupsResponse* response) {
  GroupFilter filter;
  if (!request.type().empty()) {
    if (grpc::Status status = CheckGroupType(request.type()); !status.ok())
      return status;
    filter.type = request.type();
  }
  if (!request.parent_id().empty()) {
    if (grpc::Status status = CheckGroupId(request.parent_id(), "parentId"); !status.ok())
      return status;
    filter.parent_id = request.parent_id();
  }
  if (!caller.privileged()) {
    if (!rpc::IsUuid(caller.user_id))
      return grpc::Status::OK;
    filter.member_id = caller.user_id;
  }
  for (pb::Group& group : groups_.List(filter))
    *response->add_groups() = std::move(group);
  response->set_total(response->groups_size());
  return grpc::Status::OK;
}

grpc::Status GroupRoster::Create(const pb::CreateGroupRequest& request, pb::Group* group) {
  const auto name = NormalizeGroupName(request.name());
  if (!name)
    return CheckGroupName(request.name());
  NewGroup fields;
  fields.name = *name;
  fields.display_name = request.display_name().empty() ? *name : request.display_name();
  fields.description = request.description();
  fields.type = request.type().empty() ? "team" : request.type();
  if (grpc::Status status = CheckGroupDisplayName(fields.display_name); !status.ok())
    return status;
  if (grpc::Status status = CheckGroupDescription(fields.description); !status.ok())
    return status;
  if (grpc::Status status = CheckGroupType(fields.type); !status.ok())
    return status;
  if (!request.parent_id().empty()) {
    if (grpc::Status status = CheckGroupId(request.parent_id(), "parentId"); !status.ok())
      return status;
    fields.parent_id = request.parent_id();
  }
  const GroupWrite result = groups_.Create(fields, group);
  if (result == GroupWrite::kDone)
    spdlog::info("group {} created ({})", group->name(), group->type());
  return FromWrite(result);
}

grpc::Status GroupRoster::Get(const rpc::Principal& caller, const pb::GetGroupRequest& request,
                              pb::Group* group) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  if (!caller.privileged() &&
      (!rpc::IsUuid(caller.user_id) || !groups_.IsMember(request.id(), caller.user_id))) {
    return GroupNotFound();
  }
  auto found = groups_.Find(request.id());
  if (!found)
    return GroupNotFound();
  *group = std::move(*found);
  return grpc::Status::OK;
}

grpc::Status GroupRoster::Update(const pb::UpdateGroupRequest& request, pb::Group* group) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  GroupChanges changes;
  if (request.has_display_name()) {
    if (grpc::Status status = CheckGroupDisplayName(request.display_name()); !status.ok())
      return status;
    changes.display_name = request.display_name();
  }
  if (request.has_description()) {
    if (grpc::Status status = CheckGroupDescription(request.description()); !status.ok())
      return status;
    changes.description = request.description();
  }
  if (request.has_type()) {
    if (grpc::Status status = CheckGroupType(request.type()); !status.ok())
      return status;
    changes.type = request.type();
  }
  if (request.has_parent_id()) {
    if (!request.parent_id().empty()) {
      if (grpc::Status status = CheckGroupId(request.parent_id(), "parentId"); !status.ok())
        return status;
    }
    changes.parent_id = request.parent_id();
  }
  grpc::Status refusal;
  const GroupWrite result = groups_.Update(
      request.id(), changes,
      [&](const pb::Group& current, const std::vector<std::string>& parent_chain) {
        refusal = changes.type ? CheckTypeChange(current.type(), *changes.type) : grpc::Status::OK;
        if (refusal.ok())
          refusal = CheckNewParent(current.id(), parent_chain);
        return refusal.ok();
      },
      group);
  if (result == GroupWrite::kRefused)
    return refusal;
  return FromWrite(result);
}

grpc::Status GroupRoster::Delete(const pb::DeleteGroupRequest& request) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  const GroupWrite result = groups_.Delete(request.id());
  if (result == GroupWrite::kDone)
    spdlog::info("group {} deleted", request.id());
  return FromWrite(result);
}

grpc::Status GroupRoster::Members(const pb::ListGroupMembersRequest& request,
                                  pb::ListGroupMembersResponse* response) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  std::vector<pb::GroupMember> members;
  const GroupWrite result = groups_.Members(request.id(), &members);
  for (pb::GroupMember& member : members)
    *response->add_members() = std::move(member);
  response->set_total(response->members_size());
  return FromWrite(result);
}

grpc::Status GroupRoster::AddMember(const pb::AddGroupMemberRequest& request,
                                    pb::GroupMember* member) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  UserRef user;
  if (grpc::Status status = ParseUser(request.user_id(), "userId", &user); !status.ok())
    return status;
  const std::string role = request.role().empty() ? "member" : request.role();
  if (grpc::Status status = CheckMemberRole(role); !status.ok())
    return status;
  const GroupWrite result = groups_.AddMember(request.id(), user, role, member);
  if (result == GroupWrite::kDone)
    spdlog::info("user {} added to group {} as {}", member->user().username(), request.id(), role);
  return FromWrite(result);
}

grpc::Status GroupRoster::UpdateMember(const pb::UpdateGroupMemberRequest& request,
                                       pb::GroupMember* member) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  UserRef user;
  if (grpc::Status status = ParseUser(request.user_id(), "userId", &user); !status.ok())
    return status;
  if (grpc::Status status = CheckMemberRole(request.role()); !status.ok())
    return status;
  return FromWrite(groups_.UpdateMember(request.id(), user, request.role(), member));
}

grpc::Status GroupRoster::RemoveMember(const pb::RemoveGroupMemberRequest& request) {
  if (grpc::Status status = CheckGroupId(request.id(), "id"); !status.ok())
    return status;
  UserRef user;
  if (grpc::Status status = ParseUser(request.user_id(), "userId", &user); !status.ok())
    return status;
  const GroupWrite result = groups_.RemoveMember(request.id(), user);
  if (result == GroupWrite::kDone)
    spdlog::info("user {} removed from group {}", request.user_id(), request.id());
  return FromWrite(result);
}

grpc::Status GroupRoster::UserGroups(const rpc::Principal& caller,
                                     const pb::ListUserGroupsRequest& request,
                                     pb::ListGroupsResponse* response) {
  UserRef ref;
  if (grpc::Status status = ParseUser(request.id(), "id", &ref); !status.ok())
    return status;
  // Decided before any lookup, so a user learns nothing about other accounts.
  if (!caller.privileged() && !IsCaller(caller, ref))
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
  const auto user = groups_.FindUser(ref);
  if (!user)
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "user not found");
  GroupFilter filter;
  filter.member_id = user->id();
  for (pb::Group& group : groups_.List(filter))
    *response->add_groups() = std::move(group);
  response->set_total(response->groups_size());
  return grpc::Status::OK;
}

grpc::Status GroupRoster::Directory(const pb::GetGroupDirectoryRequest& request,
                                    pb::GroupDirectory* directory) {
  if (request.known_version() < 0)
    return Invalid("knownVersion must not be negative");
  groups_.Directory(request.known_version(), directory);
  return grpc::Status::OK;
}

}  // namespace ss::auth
