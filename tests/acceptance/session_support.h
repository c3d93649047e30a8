// Helpers of the session service's acceptance tests: a platform with session (and tracker)
// replicas and a Template applied with kubectl, and the REST calls the tests make.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "platform_stack.h"

namespace ss::test {

// session-service replicas and one tracker, the gateway in front, Template `firefox` applied.
PlatformOptions SessionPlatform(int session_replicas = 1);
void ApplyFirefox(PlatformStack& stack);

// POST /api/v1/sessions; requires 200 and answers the session.
nlohmann::json CreateSession(HttpClient& api, const std::string& token,
                             const nlohmann::json& body = {{"template", "firefox"}});

// Names of the objects of a kind in namespace streamspace, by kubectl ("" when none).
std::string KubectlNames(PlatformStack& stack, const std::string& kind);
// Rows of the session service's mirror table (by id), as psql prints them.
std::string MirroredIds(PlatformStack& stack);

}  // namespace ss::test
