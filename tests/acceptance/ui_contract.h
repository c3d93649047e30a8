// The web UI's contract (issue 15): every call of StreamSpace's own React UI, replayed as that UI
// makes it, against a real stack. It follows JoshuaAFerguson/streamspace at commit 62da6a7,
// ui/src/lib/api.ts (REST) and ui/src/hooks/useWebSocket.ts (WebSockets); each case names the
// line of the call it replays, e.g. SECTION(ApiTs(274, "listSessions")).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "platform_stack.h"

namespace ss::test {

inline constexpr char kUiCommit[] = "62da6a7";

// "api.ts:274 listSessions" (the line of ui/src/lib/api.ts at kUiCommit).
std::string ApiTs(int line, const std::string& call);
// "useWebSocket.ts:152 useSessionsWebSocket".
std::string UseWebSocketTs(int line, const std::string& hook);

// session, tracker, catalog and nodes, one replica each, behind the gateway (apply Templates with
// ApplyFirefox of session_support.h).
PlatformOptions UiPlatform();

// Signs in a new user whose role an admin has set (operator, for one).
Session NewUserWithRole(PlatformStack& stack, const std::string& admin_token,
                        const std::string& username, const std::string& role);

// What axios sends for `post(url)` and a GET: no body at all.
inline const nlohmann::json kNoBody(nlohmann::json::value_t::discarded);

// A request as the UI's axios client sends it: to /api/v1 + `path`, `Content-Type:
// application/json`, the bearer token when there is one, and `body` as JSON unless it is kNoBody.
// `post(url, null, {params})` sends the text `null` (pass nullptr): the client's JSON content
// type makes axios serialize it.
HttpResponse UiCall(HttpClient& api, const std::string& method, const std::string& path,
                    const std::string& token, const nlohmann::json& body = kNoBody);

}  // namespace ss::test
