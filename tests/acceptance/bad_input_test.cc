// Issue 2 acceptance: bad input gets the right 4xx with the standard body, and leaves the
// database as it was.
#include <catch2/catch.hpp>

#include "auth_stack.h"

namespace ss::test {
namespace {

constexpr const char* kInjection = "'; DROP TABLE users; --";

// Every table of schema `auth` with its row count and a digest of its rows, one line each.
// Tables that count sign-in attempts change on any login, by design, and are left out.
std::string SchemaFingerprint(PostgresInstance& postgres) {
  const std::string tables = postgres.Query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'auth' "
      "AND table_type = 'BASE TABLE' ORDER BY table_name");
  std::string fingerprint;
  std::istringstream lines(tables);
  for (std::string table; std::getline(lines, table);) {
    if (table.find("attempt") != std::string::npos || table.find("failure") != std::string::npos) {
      fingerprint += table + " (sign-in attempts)\n";
      continue;
    }
    // The audit log records every refused change: that is its job, not a half-written change.
    if (table == "audit_events") {
      fingerprint += table + " (the audit log)\n";
      continue;
    }
    fingerprint += table + "\t" +
                   postgres.Query(
                       "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY "
                       "t::text), '')) FROM auth.\"" +
                       table + "\" t");
  }
  return fingerprint;
}

void CheckRefused(const HttpResponse& response, std::initializer_list<int> statuses, int code) {
  INFO(response.status << " " << response.body);
  CHECK(std::find(statuses.begin(), statuses.end(), response.status) != statuses.end());
  CHECK(response.status >= 400);
  CHECK(response.status < 500);
  const auto body = response.Json();
  REQUIRE(body.is_object());
  CHECK(body["message"].is_string());
  CHECK(body["details"].is_array());
  if (code >= 0)
    CHECK(body["code"] == code);
}

HttpResponse Send(AuthStack& stack, const std::string& method, const std::string& target,
                  const std::string& body, const std::string& token) {
  HttpRequest request{method, target, {{"Content-Type", "application/json"}}, body};
  if (!token.empty())
    request.headers["Authorization"] = "Bearer " + token;
  return stack.Api().Send(request);
}

}  // namespace

TEST_CASE("bad input gets the right 4xx and leaves the database unchanged", "[bad-input]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  const auto [user_id, password] = stack.CreateUser(admin.token, "frank");
  const std::string users = "/api/v1/users";
  const std::string frank = users + "/" + user_id;
  const std::string before = SchemaFingerprint(stack.postgres());
  INFO("auth schema before:\n" << before);

  // Malformed JSON and wrong types.
  CheckRefused(Send(stack, "POST", users, R"({"username": "x",)", admin.token), {400}, 3);
  CheckRefused(Send(stack, "POST", users, "[1, 2", admin.token), {400}, 3);
  CheckRefused(Send(stack, "POST", users, R"({"username": 5, "password": []})", admin.token), {400},
               3);
  CheckRefused(Send(stack, "PATCH", frank, R"({"active": {"value": true}})", admin.token), {400},
               3);
  // Protobuf's parser alone would read these strings as true.
  for (const char* lenient : {R"({"active": "yes"})", R"({"active": "1"})"}) {
    CheckRefused(Send(stack, "PATCH", frank, lenient, admin.token), {400}, 3);
  }
  CheckRefused(Send(stack, "PATCH", frank, R"({"fullName": 5})", admin.token), {400}, 3);
  CheckRefused(Send(stack, "GET", users + "?pageSize=many", "", admin.token), {400}, 3);
  CheckRefused(Send(stack, "POST", "/api/v1/auth/login", R"({"username": ["admin"]})", ""), {400},
               3);

  // Unknown route, wrong method.
  CheckRefused(Send(stack, "GET", "/api/v1/nothing-here", "", admin.token), {404}, 5);
  CheckRefused(Send(stack, "GET", "/api/v2/users", "", admin.token), {404}, 5);
  const auto wrong_method = Send(stack, "PUT", "/api/v1/users/me", "{}", admin.token);
  CheckRefused(wrong_method, {405}, 12);
  CHECK_FALSE(wrong_method.Header("Allow").empty());
  const auto login_get = Send(stack, "GET", "/api/v1/auth/login", "", "");
  CheckRefused(login_get, {405}, 12);
  CHECK(login_get.Header("Allow").find("POST") != std::string::npos);

  // A body over 1 MiB.
  const std::string huge = R"({"username":"big","fullName":")" +
                           std::string(1024 * 1024 + 16, 'a') + R"(","password":"x"})";
  CheckRefused(Send(stack, "POST", users, huge, admin.token), {413}, 8);

  // Usernames past 32 characters or outside [a-z0-9._-].
  const nlohmann::json long_name{{"username", std::string(33, 'u')},
                                 {"password", "long-enough-password"}};
  CheckRefused(Send(stack, "POST", users, long_name.dump(), admin.token), {400}, 3);
  CheckRefused(Send(stack, "PATCH", frank, R"({"password":"short"})", admin.token), {400}, 3);
  CheckRefused(Send(stack, "POST", users, R"({"username":"nopw"})", admin.token), {400}, 3);

  // SQL metacharacters where they are invalid: a username, a role, ids, page tokens, credentials.
  for (const char* field : {"username", "role", "provider"}) {
    nlohmann::json body{{"username", "injected"}, {"email", "x@example.org"},
                        {"fullName", "X"},        {"provider", "local"},
                        {"role", "user"},         {"password", "long-enough-password"}};
    body[field] = kInjection;
    INFO("create with " << field);
    CheckRefused(Send(stack, "POST", users, body.dump(), admin.token), {400}, 3);
  }
  CheckRefused(
      Send(stack, "PATCH", frank, nlohmann::json{{"role", kInjection}}.dump(), admin.token), {400},
      3);
  CheckRefused(
      Send(stack, "GET", users + "/%27%3B%20DROP%20TABLE%20users%3B%20--", "", admin.token),
      {400, 404}, -1);
  CheckRefused(
      Send(stack, "DELETE", users + "/%27%3B%20DROP%20TABLE%20users%3B%20--", "", admin.token),
      {400, 404}, -1);
  CheckRefused(Send(stack, "GET", users + "?pageToken=%27%3B%20DROP%20TABLE%20users%3B%20--", "",
                    admin.token),
               {400}, 3);
  for (const char* filter : {"role", "provider", "active"}) {
    CheckRefused(Send(stack, "GET", users + "?" + filter + "=%27%3B%20DROP%20TABLE%20users%3B%20--",
                      "", admin.token),
                 {400}, 3);
  }
  CheckRefused(
      Send(stack, "POST", "/api/v1/auth/refresh", nlohmann::json{{"token", kInjection}}.dump(), ""),
      {400, 401}, -1);
  // One login per field: failed logins count towards the throttle.
  CheckRefused(Send(stack, "POST", "/api/v1/auth/login",
                    nlohmann::json{{"username", kInjection}, {"password", "x"}}.dump(), ""),
               {400, 401}, -1);
  CheckRefused(Send(stack, "POST", "/api/v1/auth/login",
                    nlohmann::json{{"username", "frank"}, {"password", kInjection}}.dump(), ""),
               {401}, 16);

  CHECK(SchemaFingerprint(stack.postgres()) == before);

  // Where SQL metacharacters are valid data they are stored as they are, and change nothing else.
  int created = 0;
  for (const char* field : {"email", "fullName", "password"}) {
    const std::string username = std::string("inj-") + field;
    nlohmann::json body{{"username", username},
                        {"email", username + "@example.org"},
                        {"fullName", "X"},
                        {"role", "user"},
                        {"password", "long-enough-password"}};
    body[field] = kInjection;
    const auto response = Send(stack, "POST", users, body.dump(), admin.token);
    INFO(field << ": " << response.status << " " << response.body);
    if (response.status == 200) {
      ++created;
      if (std::string(field) != "password")
        CHECK(response.Json()[field] == kInjection);
    } else {
      CheckRefused(response, {400}, 3);
    }
  }
  const auto injected_login = stack.Api().Post(
      "/api/v1/auth/login",
      nlohmann::json{{"username", "inj-password"}, {"password", kInjection}}.dump());
  if (injected_login.status == 200) {
    stack.Remember(injected_login.Json()["token"]);
  }
  const auto renamed =
      Send(stack, "PATCH", frank, nlohmann::json{{"fullName", kInjection}}.dump(), admin.token);
  INFO(renamed.body);
  REQUIRE(renamed.status == 200);
  CHECK(renamed.Json()["fullName"] == kInjection);
  const auto listed = stack.Api().Get(users, admin.token);
  REQUIRE(listed.status == 200);
  CHECK(listed.Json()["total"] == 2 + created);
  CHECK(stack.Api().Get("/api/v1/users/me", admin.token).status == 200);
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
