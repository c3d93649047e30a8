// The web UI's contract, users and sign-in (issue 15): Login.tsx, store/userStore.ts, Layout.tsx
// and the admin Users, UserDetail and CreateUser pages, each call as api.ts at 62da6a7 makes it,
// with the fields those pages read. A plain user reaches nobody else; an operator reads users but
// does not manage them; expired, revoked and signed-out tokens are never renewed.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>

#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "ui_contract.h"

namespace ss::test {
namespace {

using nlohmann::json;

// A user as admin/Users.tsx, admin/UserDetail.tsx and Layout.tsx read it.
void CheckUserShape(const json& user) {
  INFO(user.dump());
  for (const char* field :
       {"id", "username", "email", "fullName", "role", "provider", "createdAt", "updatedAt"}) {
    CHECK(user[field].is_string());
  }
  CHECK(user["active"].is_boolean());
  const std::set<std::string> roles{"user", "operator", "admin"};
  CHECK(roles.count(user.value("role", "")) == 1);
  const std::set<std::string> providers{"local", "saml", "oidc"};
  CHECK(providers.count(user.value("provider", "")) == 1);
  if (user.contains("lastLogin"))
    CHECK(user["lastLogin"].is_string());
  for (const char* secret : {"password", "passwordHash", "disabled", "displayName"})
    CHECK_FALSE(user.contains(secret));
}

// LoginResponse as userStore.ts's setAuth reads it.
void CheckLoginShape(const json& body) {
  INFO(body.dump());
  CHECK(body["token"].is_string());
  CHECK(body["expiresAt"].is_string());
  CHECK_FALSE(body.contains("refreshToken"));
  CheckUserShape(body["user"]);
}

json SignIn(PlatformStack& stack, HttpClient& api, const std::string& username,
            const std::string& password) {
  const auto response =
      UiCall(api, "POST", "/auth/login", "", {{"username", username}, {"password", password}});
  INFO("login " << username << ": " << response.body);
  REQUIRE(response.status == 200);
  const json body = response.Json();
  stack.Remember(body["token"]);
  CheckLoginShape(body);
  return body;
}

std::set<std::string> Usernames(const HttpResponse& list) {
  INFO(list.body);
  REQUIRE(list.status == 200);
  const json body = list.Json();
  std::set<std::string> names;
  for (const json& user : body["users"]) {
    CheckUserShape(user);
    names.insert(user["username"].get<std::string>());
  }
  CHECK(body["total"] == static_cast<int>(names.size()));
  return names;
}

// The body CreateUser.tsx sends (every field of its form).
json CreateForm(const std::string& username, const std::string& role, const std::string& provider,
                const std::string& password, bool active) {
  return {{"username", username},
          {"email", username + "@example.org"},
          {"fullName", "Full " + username},
          {"password", password},
          {"role", role},
          {"provider", provider},
          {"active", active}};
}

json Created(PlatformStack& stack, HttpClient& api, const std::string& admin, const json& form) {
  stack.Remember(form["password"]);
  const auto response = UiCall(api, "POST", "/users", admin, form);
  INFO("create " << form["username"] << ": " << response.body);
  REQUIRE(response.status == 200);
  const json user = response.Json();
  CheckUserShape(user);
  for (const char* field : {"username", "email", "fullName", "role", "provider", "active"})
    CHECK(user[field] == form[field]);
  CHECK_FALSE(user.contains("lastLogin"));
  return user;
}

bool Refused401(HttpClient& api, const std::string& token) {
  return UiCall(api, "GET", "/users/me", token).status == 401;
}

}  // namespace

TEST_CASE("ui contract: sign-in and the admin users pages", "[users]") {
  PlatformStack stack(UiPlatform());
  HttpClient api = stack.Api();

  std::string admin;
  std::string admin_id;
  {
    INFO(ApiTs(409, "login"));
    const json login = SignIn(stack, api, "admin", stack.auth().admin_password());
    admin = login["token"];
    admin_id = login["user"]["id"];
    CHECK(login["user"]["username"] == "admin");
    CHECK(login["user"]["role"] == "admin");
    CHECK(login["user"]["provider"] == "local");
    CHECK(login["user"]["active"] == true);
    CHECK(login["user"]["lastLogin"].is_string());
  }
  {
    INFO(ApiTs(453, "getCurrentUser"));
    const auto me = UiCall(api, "GET", "/users/me", admin);
    INFO(me.body);
    REQUIRE(me.status == 200);
    CheckUserShape(me.Json());
    CHECK(me.Json()["id"] == admin_id);
  }

  const std::string carol_password = "Carol-" + RandomString(16);
  json carol;
  json oscar;
  std::string oscar_token;
  json sam;
  json ina;
  {
    INFO(ApiTs(458, "createUser"));
    carol = Created(stack, api, admin, CreateForm("carol", "user", "local", carol_password, true));
    oscar = Created(stack, api, admin,
                    CreateForm("oscar", "operator", "local", "Oscar-" + RandomString(16), true));
    // Single sign-on accounts: the form sends an empty password; they cannot sign in here.
    sam = Created(stack, api, admin, CreateForm("sam", "user", "saml", "", true));
    ina = Created(stack, api, admin, CreateForm("ina", "user", "oidc", "", false));
    const auto taken = UiCall(api, "POST", "/users", admin,
                              CreateForm("carol", "user", "local", carol_password, true));
    CHECK(taken.status == 409);
    const auto short_password =
        UiCall(api, "POST", "/users", admin, CreateForm("shorty", "user", "local", "short1", true));
    CHECK(short_password.status == 400);
    const auto sso_password =
        UiCall(api, "POST", "/users", admin,
               CreateForm("sso", "user", "oidc", "Sso-" + RandomString(16), true));
    CHECK(sso_password.status == 400);
    const auto bad_role = UiCall(api, "POST", "/users", admin,
                                 CreateForm("root", "root", "local", carol_password, true));
    CHECK(bad_role.status == 400);
    CHECK(UiCall(api, "POST", "/auth/login", "",
                 {{"username", "sam"}, {"password", "anything-at-all"}})
              .status == 401);
  }
  {
    INFO(ApiTs(438, "listUsers"));
    CHECK(Usernames(UiCall(api, "GET", "/users", admin)) ==
          std::set<std::string>{"admin", "carol", "ina", "oscar", "sam"});
    CHECK(Usernames(UiCall(api, "GET", "/users?role=operator", admin)) ==
          std::set<std::string>{"oscar"});
    CHECK(Usernames(UiCall(api, "GET", "/users?role=admin", admin)) ==
          std::set<std::string>{"admin"});
    CHECK(Usernames(UiCall(api, "GET", "/users?provider=saml", admin)) ==
          std::set<std::string>{"sam"});
    CHECK(Usernames(UiCall(api, "GET", "/users?provider=local", admin)) ==
          std::set<std::string>{"admin", "carol", "oscar"});
    CHECK(Usernames(UiCall(api, "GET", "/users?active=false", admin)) ==
          std::set<std::string>{"ina"});
    CHECK(Usernames(UiCall(api, "GET", "/users?active=true", admin)) ==
          std::set<std::string>{"admin", "carol", "oscar", "sam"});
    CHECK(Usernames(UiCall(api, "GET", "/users?role=user&provider=oidc&active=false", admin)) ==
          std::set<std::string>{"ina"});
    CHECK(Usernames(UiCall(api, "GET", "/users?role=operator&active=false", admin)).empty());
    CHECK(UiCall(api, "GET", "/users?role=root", admin).status == 400);
    CHECK(UiCall(api, "GET", "/users?active=maybe", admin).status == 400);
    // Pagination as before: the total counts every match.
    const auto page = UiCall(api, "GET", "/users?pageSize=2&provider=local", admin);
    REQUIRE(page.status == 200);
    CHECK(page.Json()["users"].size() == 2);
    CHECK(page.Json()["total"] == 3);
    CHECK(page.Json()["nextPageToken"].is_string());
  }
  {
    INFO(ApiTs(448, "getUser"));
    const auto got = UiCall(api, "GET", "/users/" + carol["id"].get<std::string>(), admin);
    INFO(got.body);
    REQUIRE(got.status == 200);
    CheckUserShape(got.Json());
    CHECK(got.Json() == carol);
  }
  {
    INFO(ApiTs(463, "updateUser"));
    // UserDetail.tsx sends the whole form: email, fullName, role, active.
    const std::string id = oscar["id"];
    const json form{{"email", "oscar@example.net"},
                    {"fullName", "Oscar Operator"},
                    {"role", "operator"},
                    {"active", true}};
    const auto updated = UiCall(api, "PATCH", "/users/" + id, admin, form);
    INFO(updated.body);
    REQUIRE(updated.status == 200);
    CheckUserShape(updated.Json());
    for (const char* field : {"email", "fullName", "role", "active"})
      CHECK(updated.Json()[field] == form[field]);
    CHECK(updated.Json()["updatedAt"] >= oscar["updatedAt"]);
    // Deactivate and reactivate, as the page's switch does.
    CHECK(UiCall(api, "PATCH", "/users/" + id, admin, {{"active", false}}).Json()["active"] ==
          false);
    CHECK(UiCall(api, "PATCH", "/users/" + id, admin, {{"active", true}}).Json()["active"] == true);
    // An admin's reset of a password; the user signs in with it.
    const std::string reset = "Oscar-reset-" + RandomString(12);
    stack.Remember(reset);
    CHECK(UiCall(api, "PATCH", "/users/" + id, admin, {{"password", reset}}).status == 200);
    oscar_token = SignIn(stack, api, "oscar", reset)["token"];
    CHECK(UiCall(api, "PATCH", "/users/" + id, admin, {{"role", "root"}}).status == 400);
    CHECK(UiCall(api, "PATCH", "/users/" + admin_id, admin, {{"active", false}}).status == 400);
  }

  const json carol_login = SignIn(stack, api, "carol", carol_password);
  const std::string carol_token = carol_login["token"];
  const std::string carol_id = carol["id"];
  {
    INFO("a plain user reaches nobody else: " + ApiTs(438, "listUsers") + ", " +
         ApiTs(448, "getUser") + ", " + ApiTs(458, "createUser") + ", " + ApiTs(463, "updateUser") +
         ", " + ApiTs(468, "deleteUser"));
    const auto list = UiCall(api, "GET", "/users", carol_token);
    CHECK(list.status == 403);
    CHECK(IsStatusBody(list, 7));
    CHECK(UiCall(api, "GET", "/users?role=admin", carol_token).status == 403);
    CHECK(UiCall(api, "GET", "/users/" + admin_id, carol_token).status == 403);
    CHECK(UiCall(api, "GET", "/users/" + carol_id, carol_token).status == 200);
    CHECK(UiCall(api, "POST", "/users", carol_token,
                 CreateForm("mallory", "admin", "local", "Mallory-" + RandomString(16), true))
              .status == 403);
    CHECK(UiCall(api, "PATCH", "/users/" + admin_id, carol_token, {{"fullName", "Pwned"}}).status ==
          403);
    CHECK(UiCall(api, "PATCH", "/users/" + carol_id, carol_token, {{"role", "admin"}}).status ==
          403);
    CHECK(UiCall(api, "PATCH", "/users/" + carol_id, carol_token, {{"active", true}}).status ==
          403);
    CHECK(UiCall(api, "DELETE", "/users/" + admin_id, carol_token).status == 403);
    // Their own full name they may change.
    const auto renamed =
        UiCall(api, "PATCH", "/users/" + carol_id, carol_token, {{"fullName", "Carol C."}});
    CHECK(renamed.status == 200);
    CHECK(renamed.Json()["fullName"] == "Carol C.");
    // Nothing else changed.
    const auto admin_now = UiCall(api, "GET", "/users/me", admin);
    CHECK(admin_now.Json()["fullName"] != "Pwned");
    CHECK(admin_now.Json()["role"] == "admin");
    CHECK(Usernames(UiCall(api, "GET", "/users", admin)).count("mallory") == 0);
  }
  {
    INFO("an operator reads users but does not manage them");
    const std::string& token = oscar_token;
    CHECK(Usernames(UiCall(api, "GET", "/users?role=user", token)) ==
          std::set<std::string>{"carol", "ina", "sam"});
    CHECK(UiCall(api, "GET", "/users/" + carol_id, token).status == 200);
    CHECK(UiCall(api, "POST", "/users", token,
                 CreateForm("olive", "user", "local", "Olive-" + RandomString(16), true))
              .status == 403);
    CHECK(UiCall(api, "PATCH", "/users/" + carol_id, token, {{"active", false}}).status == 403);
    CHECK(UiCall(api, "DELETE", "/users/" + carol_id, token).status == 403);
    CHECK(UiCall(api, "GET", "/users/" + carol_id, admin).Json()["active"] == true);
  }
  {
    INFO(ApiTs(414, "refreshToken"));
    const auto refreshed =
        UiCall(api, "POST", "/auth/refresh", carol_token, {{"token", carol_token}});
    INFO(refreshed.body);
    REQUIRE(refreshed.status == 200);
    const json body = refreshed.Json();
    stack.Remember(body["token"]);
    CheckLoginShape(body);
    CHECK(body["token"] != carol_token);
    CHECK(body["user"]["id"] == carol_id);
    CHECK(UiCall(api, "GET", "/users/me", body["token"]).status == 200);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", json::object()).status == 400);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", {{"token", "not.a.token"}}).status == 401);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", {{"refreshToken", "x"}}).status == 400);
    // A service's token is no user's sign-in.
    CHECK(
        UiCall(api, "POST", "/auth/refresh", "", {{"token", stack.ServiceToken("nodes")}}).status ==
        401);
  }
  {
    INFO(ApiTs(430, "changePassword"));
    // A second sign-in of carol's (another browser) ends with the change; the caller's stays.
    const std::string other = SignIn(stack, api, "carol", carol_password)["token"];
    const std::string new_password = "Carol-new-" + RandomString(16);
    stack.Remember(new_password);
    const auto wrong =
        UiCall(api, "POST", "/auth/change-password", carol_token,
               {{"oldPassword", "Not-her-password-1"}, {"newPassword", new_password}});
    CHECK(wrong.status == 403);
    CHECK(IsStatusBody(wrong, 7));
    const auto weak = UiCall(api, "POST", "/auth/change-password", carol_token,
                             {{"oldPassword", carol_password}, {"newPassword", "short"}});
    CHECK(weak.status == 400);
    const auto changed = UiCall(api, "POST", "/auth/change-password", carol_token,
                                {{"oldPassword", carol_password}, {"newPassword", new_password}});
    INFO(changed.body);
    CHECK(changed.status == 200);
    SignIn(stack, api, "carol", new_password);
    CHECK(UiCall(api, "POST", "/auth/login", "",
                 {{"username", "carol"}, {"password", carol_password}})
              .status == 401);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", {{"token", other}}).status == 401);
    CHECK(Eventually([&] { return Refused401(api, other); }));
    CHECK(UiCall(api, "GET", "/users/me", carol_token).status == 200);
  }
  {
    INFO(ApiTs(419, "logout"));
    // axios post(url): no body at all.
    const auto out = UiCall(api, "POST", "/auth/logout", carol_token);
    INFO(out.body);
    CHECK(out.status == 200);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", {{"token", carol_token}}).status == 401);
    CHECK(Eventually([&] { return Refused401(api, carol_token); }));
  }
  {
    INFO("a disabled user's token is not renewed");
    REQUIRE(
        UiCall(api, "PATCH", "/users/" + oscar["id"].get<std::string>(), admin, {{"active", false}})
            .status == 200);
    CHECK(UiCall(api, "POST", "/auth/refresh", "", {{"token", oscar_token}}).status == 401);
  }
  {
    INFO("GetUserStats (gRPC, services only): the admin dashboard's user counts");
    auto stub = streamspace::auth::v1::AuthService::NewStub(stack.auth().AuthChannel());
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + stack.ServiceToken("nodes"));
    streamspace::auth::v1::UserStats stats;
    const grpc::Status status = stub->GetUserStats(&context, {}, &stats);
    INFO(status.error_message());
    REQUIRE(status.ok());
    // admin, carol, oscar (disabled above), sam, ina (created disabled).
    CHECK(stats.total() == 5);
    CHECK(stats.active() == 3);
    grpc::ClientContext as_admin;
    as_admin.AddMetadata("authorization", "Bearer " + admin);
    CHECK(stub->GetUserStats(&as_admin, {}, &stats).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    INFO(ApiTs(468, "deleteUser"));
    const std::string id = sam["id"];
    const auto removed = UiCall(api, "DELETE", "/users/" + id, admin);
    INFO(removed.body);
    CHECK(removed.status == 200);
    CHECK(UiCall(api, "GET", "/users/" + id, admin).status == 404);
    CHECK(UiCall(api, "DELETE", "/users/" + id, admin).status == 404);
    CHECK(UiCall(api, "DELETE", "/users/" + admin_id, admin).status == 400);
  }
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("ui contract: an expired token is not renewed", "[users]") {
  PlatformOptions options;
  options.access_token_ttl = "2s";
  PlatformStack stack(options);
  HttpClient api = stack.Api();
  INFO(ApiTs(414, "refreshToken"));
  const json login = SignIn(stack, api, "admin", stack.auth().admin_password());
  const std::string token = login["token"];
  const auto renewed = UiCall(api, "POST", "/auth/refresh", token, {{"token", token}});
  INFO(renewed.body);
  REQUIRE(renewed.status == 200);
  stack.Remember(renewed.Json()["token"]);
  CHECK(renewed.Json()["expiresAt"] >= login["expiresAt"]);
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  const auto expired = UiCall(api, "POST", "/auth/refresh", "", {{"token", token}});
  CHECK(expired.status == 401);
  CHECK(IsStatusBody(expired, 16));
}

}  // namespace ss::test
