#include "group_store.h"

#include "db/query.h"
#include "user_columns.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;

// A group (alias g) with its direct member count; read by ReadGroup.
#define SS_GROUP_COLUMNS                                                                        \
  "g.id::text, g.name, g.display_name, g.description, g.type, g.parent_id::text, "              \
  "(SELECT count(*) FROM auth.group_members c WHERE c.group_id = g.id)::int, " SS_AUTH_RFC3339( \
      "g.created_at") ", " SS_AUTH_RFC3339("g.updated_at")

constexpr db::Query kList{"groups_list",
                          "SELECT " SS_GROUP_COLUMNS
                          " FROM auth.groups g WHERE ($1::text IS NULL OR g.type = $1) "
                          "AND ($2::uuid IS NULL OR g.parent_id = $2::uuid) "
                          "AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM auth.group_members m "
                          "  WHERE m.group_id = g.id AND m.user_id = $3::uuid)) ORDER BY g.name"};

constexpr db::Query kFind{"group_find",
                          "SELECT " SS_GROUP_COLUMNS " FROM auth.groups g WHERE g.id = $1::uuid"};

constexpr db::Query kIsMember{
    "group_is_member",
    "SELECT 1 FROM auth.group_members WHERE group_id = $1::uuid AND user_id = $2::uuid"};

// By id or by username (the other parameter NULL).
constexpr db::Query kFindUser{"group_find_user",
                              "SELECT " SS_AUTH_USER_COLUMNS
                              " FROM auth.users WHERE id = $1::uuid OR username = $2"};

// The same, kept from being deleted until the membership is written.
constexpr db::Query kLockUser{"group_lock_user",
                              "SELECT " SS_AUTH_USER_COLUMNS
                              " FROM auth.users WHERE id = $1::uuid OR username = $2 "
                              "FOR KEY SHARE"};

// One change of the tree at a time: a cycle check must see every re-parenting committed before.
constexpr db::Query kLockTree{
    "group_lock_tree", "SELECT pg_advisory_xact_lock(hashtext('streamspace.auth.group_tree'))"};

constexpr db::Query kGroupExists{"group_exists",
                                 "SELECT 1 FROM auth.groups WHERE id = $1::uuid FOR KEY SHARE"};

constexpr db::Query kCreate{
    "group_create",
    "INSERT INTO auth.groups AS g (name, display_name, description, type, parent_id) "
    "VALUES ($1, $2, $3, $4, $5::uuid) ON CONFLICT (name) DO NOTHING RETURNING " SS_GROUP_COLUMNS};

// NO KEY UPDATE: memberships being added (their foreign key takes KEY SHARE) need not wait.
constexpr db::Query kLockGroup{"group_lock",
                               "SELECT " SS_GROUP_COLUMNS
                               " FROM auth.groups g WHERE g.id = $1::uuid FOR NO KEY UPDATE OF g"};

// A group and its ancestors, nearest first; the depth bound stops the walk should a cycle ever
// be in the table.
constexpr db::Query kChain{"group_chain",
                           "WITH RECURSIVE chain (id, parent_id, depth) AS ("
                           "  SELECT id, parent_id, 0 FROM auth.groups WHERE id = $1::uuid "
                           "  UNION ALL SELECT g.id, g.parent_id, c.depth + 1 FROM auth.groups g "
                           "  JOIN chain c ON g.id = c.parent_id WHERE c.depth < 10000) "
                           "SELECT id::text FROM chain ORDER BY depth"};

constexpr db::Query kUpdate{
    "group_update",
    "UPDATE auth.groups AS g SET display_name = coalesce($2, g.display_name), "
    "description = coalesce($3, g.description), type = coalesce($4, g.type), "
    "parent_id = CASE WHEN $5::bool THEN $6::uuid ELSE g.parent_id END, updated_at = now() "
    "WHERE g.id = $1::uuid RETURNING " SS_GROUP_COLUMNS};

constexpr db::Query kDeleteCheck{
    "group_delete_check",
    "SELECT g.type, EXISTS (SELECT 1 FROM auth.groups s WHERE s.parent_id = g.id) "
    "FROM auth.groups g WHERE g.id = $1::uuid FOR UPDATE OF g"};

constexpr db::Query kDelete{"group_delete", "DELETE FROM auth.groups WHERE id = $1::uuid"};

// The membership's columns are renamed so that the user's stay unambiguous.
constexpr db::Query kMembers{
    "group_members",
    "SELECT " SS_AUTH_USER_COLUMNS ", member_role, " SS_AUTH_RFC3339(
        "member_joined") " FROM auth.users JOIN (SELECT user_id, role AS member_role, "
                         "joined_at AS member_joined FROM auth.group_members "
                         "WHERE group_id = $1::uuid) m ON m.user_id = users.id ORDER BY username"};

constexpr db::Query kAddMember{
    "group_add_member",
    "INSERT INTO auth.group_members (group_id, user_id, role) VALUES ($1::uuid, $2::uuid, $3) "
    "ON CONFLICT DO NOTHING RETURNING role, " SS_AUTH_RFC3339("joined_at")};

constexpr db::Query kUpdateMember{
    "group_update_member",
    "UPDATE auth.group_members SET role = $3 WHERE group_id = $1::uuid AND user_id = $2::uuid "
    "RETURNING role, " SS_AUTH_RFC3339("joined_at")};

constexpr db::Query kRemoveMember{
    "group_remove_member",
    "DELETE FROM auth.group_members WHERE group_id = $1::uuid AND user_id = $2::uuid"};

constexpr db::Query kVersion{"group_directory_version",
                             "SELECT version FROM auth.group_directory_version"};

constexpr db::Query kDirectoryUsers{
    "group_directory_users",
    "SELECT u.id::text, u.username, "
    "coalesce(string_agg(m.group_id::text, ',' ORDER BY m.group_id), '') FROM auth.users u "
    "LEFT JOIN auth.group_members m ON m.user_id = u.id GROUP BY u.id ORDER BY u.username"};

constexpr db::Query kDirectoryGroups{
    "group_directory_groups",
    "SELECT id::text, name, parent_id::text FROM auth.groups ORDER BY name"};

#undef SS_GROUP_COLUMNS

pb::Group ReadGroup(const pqxx::row& row) {
  pb::Group group;
  group.set_id(row[0].as<std::string>());
  group.set_name(row[1].as<std::string>());
  group.set_display_name(row[2].as<std::string>());
  group.set_description(row[3].as<std::string>());
  group.set_type(row[4].as<std::string>());
  if (!row[5].is_null())
    group.set_parent_id(row[5].as<std::string>());
  group.set_member_count(row[6].as<int>());
  group.set_created_at(row[7].as<std::string>());
  group.set_updated_at(row[8].as<std::string>());
  return group;
}

// A member row: the user's columns, then the membership's role and join time.
pb::GroupMember ReadMember(pb::User user, const pqxx::row& membership, int first) {
  pb::GroupMember member;
  *member.mutable_user() = std::move(user);
  member.set_role(membership[first].as<std::string>());
  member.set_joined_at(membership[first + 1].as<std::string>());
  return member;
}

}  // namespace

std::vector<pb::Group> GroupStore::List(const GroupFilter& filter) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    std::vector<pb::Group> groups;
    for (const pqxx::row& row :
         db::Execute(tx, kList, filter.type, filter.parent_id, filter.member_id)) {
      groups.push_back(ReadGroup(row));
    }
    return groups;
  });
}

std::optional<pb::Group> GroupStore::Find(const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<pb::Group> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kFind, id);
    if (result.empty())
      return std::nullopt;
    return ReadGroup(result[0]);
  });
}

bool GroupStore::IsMember(const std::string& group_id, const std::string& user_id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return !db::Execute(tx, kIsMember, group_id, user_id).empty();
  });
}

std::optional<pb::User> GroupStore::FindUser(const UserRef& user) {
  return pool_.With([&](pqxx::connection& connection) -> std::optional<pb::User> {
    pqxx::nontransaction tx(connection);
    const pqxx::result result = db::Execute(tx, kFindUser, user.id, user.username);
    if (result.empty())
      return std::nullopt;
    return ReadUser(result[0]);
  });
}

GroupWrite GroupStore::Create(const NewGroup& group, pb::Group* created) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    if (group.parent_id) {
      db::Execute(tx, kLockTree);
      if (db::Execute(tx, kGroupExists, *group.parent_id).empty())
        return GroupWrite::kParentNotFound;
    }
    const pqxx::result result = db::Execute(tx, kCreate, group.name, group.display_name,
                                            group.description, group.type, group.parent_id);
    if (result.empty())
      return GroupWrite::kNameTaken;
    tx.commit();
    *created = ReadGroup(result[0]);
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::Update(const std::string& id, const GroupChanges& changes,
                              const GroupUpdateCheck& check, pb::Group* updated) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const bool new_parent = changes.parent_id && !changes.parent_id->empty();
    if (new_parent)
      db::Execute(tx, kLockTree);
    const pqxx::result current = db::Execute(tx, kLockGroup, id);
    if (current.empty())
      return GroupWrite::kNotFound;
    std::vector<std::string> chain;
    if (new_parent) {
      for (const pqxx::row& row : db::Execute(tx, kChain, *changes.parent_id))
        chain.push_back(row[0].as<std::string>());
      if (chain.empty())
        return GroupWrite::kParentNotFound;
    }
    if (!check(ReadGroup(current[0]), chain))
      return GroupWrite::kRefused;
    std::optional<std::string> parent;
    if (new_parent)
      parent = changes.parent_id;
    const pqxx::result result =
        db::Execute(tx, kUpdate, id, changes.display_name, changes.description, changes.type,
                    changes.parent_id.has_value(), parent);
    tx.commit();
    *updated = ReadGroup(result[0]);
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::Delete(const std::string& id) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    // Under the tree lock no subgroup can be added meanwhile.
    db::Execute(tx, kLockTree);
    const pqxx::result found = db::Execute(tx, kDeleteCheck, id);
    if (found.empty())
      return GroupWrite::kNotFound;
    if (found[0][0].as<std::string>() == "system")
      return GroupWrite::kSystemGroup;
    if (found[0][1].as<bool>())
      return GroupWrite::kHasSubgroups;
    db::Execute(tx, kDelete, id);
    tx.commit();
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::Members(const std::string& group_id, std::vector<pb::GroupMember>* members) {
  return pool_.With([&](pqxx::connection& connection) {
    // One snapshot: the group's existence and its members agree.
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(
        connection);
    if (db::Execute(tx, kFind, group_id).empty())
      return GroupWrite::kNotFound;
    for (const pqxx::row& row : db::Execute(tx, kMembers, group_id))
      members->push_back(ReadMember(ReadUser(row), row, kUserColumns));
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::AddMember(const std::string& group_id, const UserRef& user,
                                 const std::string& role, pb::GroupMember* member) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    if (db::Execute(tx, kGroupExists, group_id).empty())
      return GroupWrite::kNotFound;
    const pqxx::result found = db::Execute(tx, kLockUser, user.id, user.username);
    if (found.empty())
      return GroupWrite::kUserNotFound;
    pb::User member_user = ReadUser(found[0]);
    const pqxx::result added = db::Execute(tx, kAddMember, group_id, member_user.id(), role);
    if (added.empty())
      return GroupWrite::kAlreadyMember;
    tx.commit();
    *member = ReadMember(std::move(member_user), added[0], 0);
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::UpdateMember(const std::string& group_id, const UserRef& user,
                                    const std::string& role, pb::GroupMember* member) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    if (db::Execute(tx, kGroupExists, group_id).empty())
      return GroupWrite::kNotFound;
    const pqxx::result found = db::Execute(tx, kFindUser, user.id, user.username);
    if (found.empty())
      return GroupWrite::kNotMember;
    pb::User member_user = ReadUser(found[0]);
    const pqxx::result changed = db::Execute(tx, kUpdateMember, group_id, member_user.id(), role);
    if (changed.empty())
      return GroupWrite::kNotMember;
    tx.commit();
    *member = ReadMember(std::move(member_user), changed[0], 0);
    return GroupWrite::kDone;
  });
}

GroupWrite GroupStore::RemoveMember(const std::string& group_id, const UserRef& user) {
  return pool_.With([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    if (db::Execute(tx, kGroupExists, group_id).empty())
      return GroupWrite::kNotFound;
    const pqxx::result found = db::Execute(tx, kFindUser, user.id, user.username);
    if (found.empty())
      return GroupWrite::kNotMember;
    const pqxx::result removed =
        db::Execute(tx, kRemoveMember, group_id, found[0][0].as<std::string>());
    if (removed.affected_rows() == 0)
      return GroupWrite::kNotMember;
    tx.commit();
    return GroupWrite::kDone;
  });
}

void GroupStore::Directory(int64_t known_version, pb::GroupDirectory* directory) {
  pool_.With([&](pqxx::connection& connection) {
    directory->Clear();
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(
        connection);
    directory->set_version(db::Execute(tx, kVersion)[0][0].as<int64_t>());
    directory->set_changed(directory->version() != known_version);
    if (!directory->changed())
      return;
    for (const pqxx::row& row : db::Execute(tx, kDirectoryUsers)) {
      pb::DirectoryUser* user = directory->add_users();
      user->set_id(row[0].as<std::string>());
      user->set_username(row[1].as<std::string>());
      AppendCommaList(row[2].as<std::string>(), user->mutable_group_ids());
    }
    for (const pqxx::row& row : db::Execute(tx, kDirectoryGroups)) {
      pb::DirectoryGroup* group = directory->add_groups();
      group->set_id(row[0].as<std::string>());
      group->set_name(row[1].as<std::string>());
      if (!row[2].is_null())
        group->set_parent_id(row[2].as<std::string>());
    }
  });
}

}  // namespace ss::auth
