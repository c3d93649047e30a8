// Issue 2 acceptance through the gateway: sign-in, roles, refused tokens, throttling, revocation.
#include <catch2/catch.hpp>
#include <thread>

#include "auth_stack.h"
#include "jwt.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {
namespace {

void RequireUnauthenticated(const HttpResponse& response) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 401);
  CHECK(IsStatusBody(response, 16));
  CHECK(response.Header("WWW-Authenticate").rfind("Bearer", 0) == 0);
}

// Every route a signed-in user may call, as (method, target, body).
struct Route {
  std::string method;
  std::string target;
  std::string body;
};

std::vector<Route> UserRoutes(const std::string& user_id) {
  return {{"GET", "/api/v1/users/me", ""},
          {"GET", "/api/v1/users/" + user_id, ""},
          {"PATCH", "/api/v1/users/" + user_id, R"({"fullName":"Renamed"})"},
          {"GET", "/api/v1/users", ""},
          {"POST", "/api/v1/auth/logout", "{}"}};
}

HttpResponse Call(AuthStack& stack, const Route& route, const std::string& token) {
  HttpRequest request{route.method, route.target, {}, route.body};
  if (!route.body.empty())
    request.headers["Content-Type"] = "application/json";
  request.headers["Authorization"] = "Bearer " + token;
  return stack.Api().Send(request);
}

// Within 5 s every route refuses the token with 401 (and keeps refusing it).
void RequireRevokedEverywhere(AuthStack& stack, const Session& session) {
  for (const auto& route : UserRoutes(session.user_id)) {
    INFO(route.method << " " << route.target);
    CHECK(Eventually([&] { return Call(stack, route, session.token).status == 401; }));
    RequireUnauthenticated(Call(stack, route, session.token));
  }
  // Nor is there a way around the gateway: auth itself refuses the token.
  auto stub = streamspace::auth::v1::AuthService::NewStub(stack.AuthChannel());
  CHECK(Eventually([&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + session.token);
    streamspace::auth::v1::User user;
    return stub->GetMe(&context, {}, &user).error_code() == grpc::StatusCode::UNAUTHENTICATED;
  }));
  // And the sign-in cannot be renewed.
  const auto refresh =
      stack.Api().Post("/api/v1/auth/refresh", nlohmann::json{{"token", session.token}}.dump());
  CHECK(refresh.status == 401);
}

}  // namespace

TEST_CASE("admin signs in, creates a user, and the user is refused admin routes", "[login]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());

  const auto me = stack.Api().Get("/api/v1/users/me", admin.token);
  INFO(me.body);
  REQUIRE(me.status == 200);
  CHECK(me.Json()["username"] == "admin");
  CHECK(me.Json()["role"] == "admin");
  CHECK_FALSE(me.Header("X-Request-Id").empty());

  const auto [user_id, password] = stack.CreateUser(admin.token, "alice");
  const auto alice = stack.Login("alice", password);
  const auto alice_me = stack.Api().Get("/api/v1/users/me", alice.token);
  REQUIRE(alice_me.status == 200);
  CHECK(alice_me.Json()["id"] == user_id);
  CHECK(alice_me.Json()["role"] == "user");
  // A user reads themself, not others.
  CHECK(stack.Api().Get("/api/v1/users/" + user_id, alice.token).status == 200);

  const auto list = stack.Api().Get("/api/v1/users", alice.token);
  CHECK(list.status == 403);
  CHECK(IsStatusBody(list, 7));
  const auto create = stack.Api().Post(
      "/api/v1/users", R"({"username":"mallory","password":"long-enough-password","role":"admin"})",
      alice.token);
  CHECK(create.status == 403);
  CHECK(IsStatusBody(create, 7));
  const auto remove = stack.Api().Delete("/api/v1/users/" + admin.user_id, alice.token);
  CHECK(remove.status == 403);
  CHECK(IsStatusBody(remove, 7));
  const auto promote =
      stack.Api().Patch("/api/v1/users/" + user_id, R"({"role":"admin"})", alice.token);
  CHECK(promote.status == 403);

  // The admin's list shows both accounts.
  const auto users = stack.Api().Get("/api/v1/users", admin.token);
  REQUIRE(users.status == 200);
  CHECK(users.Json()["total"] == 2);
  CHECK(users.Json()["users"].size() == 2);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("missing, expired, foreign, unsigned, HS256 and tampered tokens get 401",
          "[bad-tokens]") {
  StackOptions options;
  options.access_token_ttl = "3s";
  AuthStack stack(options);
  const auto admin = stack.Login("admin", stack.admin_password());
  const auto [user_id, password] = stack.CreateUser(admin.token, "bob");
  const auto bob = stack.Login("bob", password);
  REQUIRE(stack.Api().Get("/api/v1/users/me", bob.token).status == 200);

  const auto decoded = DecodeJwt(bob.token);
  CHECK(decoded.header["alg"] == "EdDSA");
  REQUIRE(decoded.header.contains("kid"));

  const auto jwks = stack.Api().Get("/.well-known/jwks.json");
  INFO("token header " << decoded.header.dump() << ", JWKS " << jwks.body);
  REQUIRE(jwks.status == 200);
  std::string public_x;
  const auto jwks_json = jwks.Json();
  for (const auto& key : jwks_json["keys"]) {
    if (key["kid"] == decoded.header["kid"])
      public_x = key["x"];
  }
  REQUIRE_FALSE(public_x.empty());

  auto admin_claims = decoded.payload;
  admin_claims["role"] = "admin";
  Ed25519Key foreign_key;
  nlohmann::json hs256_header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", decoded.header["kid"]}};
  nlohmann::json none_header{{"alg", "none"}, {"typ", "JWT"}, {"kid", decoded.header["kid"]}};
  const auto payload_end = bob.token.rfind('.');
  const std::string tampered = Base64UrlEncode(decoded.header.dump()) + "." +
                               Base64UrlEncode(admin_claims.dump()) + bob.token.substr(payload_end);

  const std::vector<std::pair<std::string, std::string>> refused = {
      {"foreign key", foreign_key.Sign(decoded.header, decoded.payload)},
      {"alg none", Unsigned(none_header, decoded.payload)},
      {"HS256 with the public key bytes",
       SignHs256(hs256_header, decoded.payload, Base64UrlDecode(public_x))},
      {"HS256 with the public key text", SignHs256(hs256_header, decoded.payload, public_x)},
      {"tampered payload", tampered},
      {"garbage", "not.a.token"},
  };
  for (const auto& target : {"/api/v1/users/me", "/api/v1/users"}) {
    INFO("no token on " << target);
    RequireUnauthenticated(stack.Api().Get(target));
    for (const auto& [what, token] : refused) {
      INFO(what << " on " << target);
      RequireUnauthenticated(stack.Api().Get(target, token));
    }
  }

  // The real token expires after ACCESS_TOKEN_TTL (3 s).
  std::this_thread::sleep_for(std::chrono::seconds(4));
  RequireUnauthenticated(stack.Api().Get("/api/v1/users/me", bob.token));
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("a wrong password gets 401, and repeated tries 429 with Retry-After", "[throttle]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  stack.CreateUser(admin.token, "carol");
  const nlohmann::json wrong{{"username", "carol"}, {"password", "wrong-password-123"}};
  stack.Remember("wrong-password-123");

  const auto first = stack.Api().Post("/api/v1/auth/login", wrong.dump());
  INFO(first.body);
  CHECK(first.status == 401);
  CHECK(IsStatusBody(first, 16));

  HttpResponse last;
  int attempts = 1;
  for (; attempts < 10; ++attempts) {
    last = stack.Api().Post("/api/v1/auth/login", wrong.dump());
    if (last.status != 401)
      break;
  }
  INFO("after " << attempts << " attempts: " << last.status << " " << last.body);
  REQUIRE(last.status == 429);
  CHECK(attempts <= 6);
  CHECK(IsStatusBody(last, 8));
  REQUIRE_FALSE(last.Header("Retry-After").empty());
  CHECK(std::stoi(last.Header("Retry-After")) > 0);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("after logout the token stops working on every route within 5 s", "[logout]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  const auto [user_id, password] = stack.CreateUser(admin.token, "dave");
  const auto dave = stack.Login("dave", password);
  REQUIRE(stack.Api().Get("/api/v1/users/me", dave.token).status == 200);

  const auto logout = stack.Api().Post("/api/v1/auth/logout", "{}", dave.token);
  INFO(logout.body);
  REQUIRE(logout.status == 200);
  RequireRevokedEverywhere(stack, dave);
  // The admin's own sign-in is untouched.
  CHECK(stack.Api().Get("/api/v1/users/me", admin.token).status == 200);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("after the admin disables a user their token stops working within 5 s", "[disable]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  const auto [user_id, password] = stack.CreateUser(admin.token, "erin");
  const auto erin = stack.Login("erin", password);
  REQUIRE(stack.Api().Get("/api/v1/users/me", erin.token).status == 200);

  const auto disable =
      stack.Api().Patch("/api/v1/users/" + user_id, R"({"active":false})", admin.token);
  INFO(disable.body);
  REQUIRE(disable.status == 200);
  CHECK(disable.Json()["active"] == false);
  RequireRevokedEverywhere(stack, erin);

  // A disabled user cannot sign in again either.
  const auto again = stack.Api().Post(
      "/api/v1/auth/login", nlohmann::json{{"username", "erin"}, {"password", password}}.dump());
  CHECK(again.status == 401);
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test

namespace ss::test {

TEST_CASE("after an admin is demoted their token loses admin rights within 5 s", "[role-change]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  const std::string password = "Pw-" + RandomString(20);
  stack.Remember(password);
  const nlohmann::json body{{"username", "heidi"}, {"role", "admin"}, {"password", password}};
  const auto created = stack.Api().Post("/api/v1/users", body.dump(), admin.token);
  INFO(created.body);
  REQUIRE(created.status == 200);
  const std::string heidi_id = created.Json()["id"];
  const auto heidi = stack.Login("heidi", password);
  REQUIRE(stack.Api().Get("/api/v1/users", heidi.token).status == 200);

  const auto demoted =
      stack.Api().Patch("/api/v1/users/" + heidi_id, R"({"role":"user"})", admin.token);
  INFO(demoted.body);
  REQUIRE(demoted.status == 200);
  CHECK(demoted.Json()["role"] == "user");
  // The old token is refused (401) or at least no longer admin (403); never served.
  CHECK(Eventually([&] {
    const int status = stack.Api().Get("/api/v1/users", heidi.token).status;
    return status == 401 || status == 403;
  }));
  const int after = stack.Api().Get("/api/v1/users", heidi.token).status;
  CHECK((after == 401 || after == 403));
  // Signing in again gives a user token.
  const auto again = stack.Login("heidi", password);
  CHECK(stack.Api().Get("/api/v1/users", again.token).status == 403);
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
