// Helpers of the groups acceptance tests (issue 16): calls through the gateway, the shapes the
// tests expect, and the rows that prove a refused call wrote nothing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth_stack.h"

namespace ss::test {

// A group id that no group has.
inline constexpr char kUnknownGroupId[] = "6f1c1b8e-8d4f-4f0a-9a57-1c2d3e4f5a6b";

// `method` /api/v1`target` with `token` and `body` as JSON (none when null).
HttpResponse GroupCall(AuthStack& stack, const std::string& method, const std::string& target,
                       const std::string& token, const nlohmann::json& body = nlohmann::json());
// A group as the API answers it and the web UI's pages read it (Groups.tsx, GroupDetail.tsx,
// UserDetail.tsx: `type.toUpperCase()`, `memberCount || 0`, `new Date(createdAt)`).
void CheckGroupShape(const nlohmann::json& group);
// The names of a {groups, total} answer, in order (checking each group's shape and the total).
std::vector<std::string> GroupNamesOf(const nlohmann::json& list);
nlohmann::json CreateGroup(AuthStack& stack, const std::string& token, const nlohmann::json& body);
// The rows of the groups tables and the directory version.
std::string GroupTables(AuthStack& stack);

}  // namespace ss::test
