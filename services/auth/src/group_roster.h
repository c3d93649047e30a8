// The groups API (issue 16): who may read which group, input rules, nesting without cycles, and
// memberships. Admins change groups (the methods' access level says so), operators read them all,
// a user reads only the groups they belong to directly: any other answers 404, as if it did not
// exist. Also the directory that the session service resolves quotas with.
#pragma once

#include <grpcpp/support/status.h>

#include "group_store.h"
#include "rpc/call.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::auth {

class GroupRoster {
 public:
  explicit GroupRoster(GroupStore& groups) : groups_(groups) {}

  grpc::Status List(const rpc::Principal& caller,
                    const streamspace::auth::v1::ListGroupsRequest& request,
                    streamspace::auth::v1::ListGroupsResponse* response);
  grpc::Status Create(const streamspace::auth::v1::CreateGroupRequest& request,
                      streamspace::auth::v1::Group* group);
  grpc::Status Get(const rpc::Principal& caller,
                   const streamspace::auth::v1::GetGroupRequest& request,
                   streamspace::auth::v1::Group* group);
  grpc::Status Update(const streamspace::auth::v1::UpdateGroupRequest& request,
                      streamspace::auth::v1::Group* group);
  grpc::Status Delete(const streamspace::auth::v1::DeleteGroupRequest& request);

  grpc::Status Members(const streamspace::auth::v1::ListGroupMembersRequest& request,
                       streamspace::auth::v1::ListGroupMembersResponse* response);
  grpc::Status AddMember(const streamspace::auth::v1::AddGroupMemberRequest& request,
                         streamspace::auth::v1::GroupMember* member);
  grpc::Status UpdateMember(const streamspace::auth::v1::UpdateGroupMemberRequest& request,
                            streamspace::auth::v1::GroupMember* member);
  grpc::Status RemoveMember(const streamspace::auth::v1::RemoveGroupMemberRequest& request);
  grpc::Status UserGroups(const rpc::Principal& caller,
                          const streamspace::auth::v1::ListUserGroupsRequest& request,
                          streamspace::auth::v1::ListGroupsResponse* response);

  grpc::Status Directory(const streamspace::auth::v1::GetGroupDirectoryRequest& request,
                         streamspace::auth::v1::GroupDirectory* directory);

 private:
  GroupStore& groups_;
};

}  // namespace ss::auth
