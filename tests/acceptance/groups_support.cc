#include "groups_support.h"

#include <catch2/catch.hpp>
#include <set>

namespace ss::test {

using nlohmann::json;

HttpResponse GroupCall(AuthStack& stack, const std::string& method, const std::string& target,
                       const std::string& token, const json& body) {
  HttpRequest request{method, "/api/v1" + target, {{"Content-Type", "application/json"}}, ""};
  if (!body.is_null())
    request.body = body.dump();
  request.headers["Authorization"] = "Bearer " + token;
  return stack.Api().Send(request);
}

void CheckGroupShape(const json& group) {
  INFO(group.dump());
  for (const char* field :
       {"id", "name", "displayName", "description", "type", "createdAt", "updatedAt"}) {
    CHECK(group[field].is_string());
  }
  CHECK(group["memberCount"].is_number_integer());
  const std::set<std::string> types{"system", "organization", "team", "project"};
  CHECK(types.count(group.value("type", "")) == 1);
  if (group.contains("parentId"))
    CHECK(group["parentId"].is_string());
}

std::vector<std::string> GroupNamesOf(const json& list) {
  std::vector<std::string> names;
  for (const json& group : list["groups"]) {
    CheckGroupShape(group);
    names.push_back(group["name"]);
  }
  CHECK(list["total"] == static_cast<int>(names.size()));
  return names;
}

json CreateGroup(AuthStack& stack, const std::string& token, const json& body) {
  const json group = Ok(GroupCall(stack, "POST", "/groups", token, body));
  CheckGroupShape(group);
  return group;
}

std::string GroupTables(AuthStack& stack) {
  return stack.postgres().Query(
      "SELECT (SELECT string_agg(g::text, '|' ORDER BY g.name) FROM auth.groups g), "
      "(SELECT string_agg(m::text, '|' ORDER BY m::text) FROM auth.group_members m), "
      "(SELECT version FROM auth.group_directory_version)");
}

}  // namespace ss::test
