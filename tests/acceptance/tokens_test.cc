// Issue 17 acceptance of API tokens: the scope matrix over REST, gRPC and WebSocket, rights
// limited by the owner's role at each use, expiry, revocation within 5 s everywhere, the secret
// shown once and stored only as a hash, and the refusals of bad input.
#include <catch2/catch.hpp>

#include "core/rfc3339.h"
#include "identity_support.h"
#include "session_support.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"
#include "streamspace/session/v1/session.grpc.pb.h"
#include "ws_reader.h"

namespace ss::test {
namespace {

namespace auth_pb = streamspace::auth::v1;
namespace session_pb = streamspace::session::v1;
using nlohmann::json;

constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kAlreadyExists = 6;
constexpr int kPermissionDenied = 7;
constexpr int kUnauthenticated = 16;

std::string Firefox() {
  return json{{"template", "firefox"}}.dump();
}

std::string InSeconds(int seconds) {
  return core::FormatRfc3339(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

grpc::StatusCode ListSessionsOverGrpc(PlatformStack& stack, const std::string& token) {
  auto stub = session_pb::SessionService::NewStub(stack.Channel("session"));
  grpc::ClientContext context;
  Authorize(&context, token);
  session_pb::ListSessionsResponse response;
  return stub->ListSessions(&context, session_pb::ListSessionsRequest(), &response).error_code();
}

grpc::Status CreateSessionOverGrpc(PlatformStack& stack, const std::string& token) {
  auto stub = session_pb::SessionService::NewStub(stack.Channel("session"));
  grpc::ClientContext context;
  Authorize(&context, token);
  session_pb::CreateSessionRequest request;
  request.set_template_("firefox");
  session_pb::Session response;
  return stub->CreateSession(&context, request, &response);
}

grpc::Status GetMeOverGrpc(PlatformStack& stack, const std::string& token) {
  auto stub = auth_pb::AuthService::NewStub(stack.auth().AuthChannel());
  grpc::ClientContext context;
  Authorize(&context, token);
  auth_pb::User response;
  return stub->GetMe(&context, auth_pb::GetMeRequest(), &response);
}

// Runs the README's gRPC tool (tools/grpc-example) against the session service; its output.
std::string RunGrpcExample(PlatformStack& stack, const std::string& token) {
  TempDir dir("ss-grpc-example-");
  Process tool(ProcessOptions{"/usr/bin/python3",
                              {std::string(SS_SOURCE_DIR) + "/tools/grpc-example/session_client.py",
                               stack.service("session").address(), token},
                              BaseEnvironment(),
                              dir.path() / "tool.log",
                              std::nullopt});
  REQUIRE(Eventually([&] { return !tool.Running(); }, std::chrono::seconds(60)));
  const int status = tool.Stop();
  const std::string output = tool.LogContents();
  INFO(output);
  CHECK(WIFEXITED(status));
  return output;
}

void RequireScopeRefusal(const HttpResponse& response, const std::string& scope) {
  RequireError(response, 403, kPermissionDenied);
  CHECK_THAT(response.Json().value("message", ""), Catch::Contains(scope));
}

}  // namespace

TEST_CASE("API tokens reach only their scopes, on REST, gRPC and WebSockets", "[scopes]") {
  PlatformStack stack(IdentityPlatform());
  ApplyFirefox(stack);
  HttpClient api = stack.Api();
  const Session alice = stack.NewUser("alice");
  const std::string reader = MakeApiToken(stack, alice.token, "reader", {"sessions:read"})["token"];
  const std::string writer =
      MakeApiToken(stack, alice.token, "writer", {"sessions:write", "quotas:read"})["token"];
  const std::string profile = MakeApiToken(stack, alice.token, "profile", {"users:read"})["token"];
  REQUIRE(reader.rfind("sst_", 0) == 0);

  // REST.
  Ok(api.Get("/api/v1/sessions", reader));
  RequireScopeRefusal(api.Post("/api/v1/sessions", Firefox(), reader), "sessions:write");
  const json created = Ok(api.Post("/api/v1/sessions", Firefox(), writer));
  CHECK(created["user"] == "alice");
  Ok(api.Get("/api/v1/sessions/" + created["name"].get<std::string>(), writer));
  const std::string quota = "/api/v1/users/" + alice.user_id + "/quota";
  Ok(api.Get(quota, writer));
  RequireScopeRefusal(api.Get(quota, reader), "quotas:read");
  CHECK(Ok(api.Get("/api/v1/users/me", profile))["username"] == "alice");
  RequireScopeRefusal(api.Get("/api/v1/users/me", reader), "users:read");
  // A token cannot make tokens, sign out or change its owner's password.
  RequireError(
      api.Post("/api/v1/tokens", json{{"name", "x"}, {"scopes", {"users:read"}}}.dump(), writer),
      403, kPermissionDenied);
  RequireError(api.Post("/api/v1/auth/logout", "{}", profile), 403, kPermissionDenied);
  RequireError(api.Get("/api/v1/tokens", profile), 403, kPermissionDenied);
  // The owner's role bounds the token: alice is a user, so users:write cannot create users.
  const std::string ambitious =
      MakeApiToken(stack, alice.token, "ambitious", {"users:write"})["token"];
  RequireError(
      api.Post("/api/v1/users",
               json{{"username", "mallory"}, {"password", "a-long-password-1"}}.dump(), ambitious),
      403, kPermissionDenied);

  // gRPC, straight to the services.
  CHECK(ListSessionsOverGrpc(stack, reader) == grpc::StatusCode::OK);
  CHECK(ListSessionsOverGrpc(stack, profile) == grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status refused = CreateSessionOverGrpc(stack, reader);
  CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK_THAT(refused.error_message(), Catch::Contains("sessions:write"));
  CHECK(CreateSessionOverGrpc(stack, writer).ok());
  CHECK(GetMeOverGrpc(stack, profile).ok());
  CHECK(GetMeOverGrpc(stack, reader).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  // The README's example tool: health, reflection, then the sessions its token may see.
  const std::string listed = RunGrpcExample(stack, reader);
  CHECK_THAT(listed, Catch::Contains("health: SERVING"));
  CHECK_THAT(listed, Catch::Contains("streamspace.session.v1.SessionService"));
  CHECK_THAT(listed, Catch::Contains(created["name"].get<std::string>()));
  CHECK_THAT(RunGrpcExample(stack, profile), Catch::Contains("refused: PERMISSION_DENIED"));

  // WebSockets the gateway serves itself.
  WsReader allowed(stack.auth().api_port(), "/api/v1/ws/sessions", reader);
  CHECK(allowed.Next(std::chrono::seconds(10)).has_value());
  CHECK_THROWS_AS(WsReader(stack.auth().api_port(), "/api/v1/ws/sessions", profile),
                  boost::system::system_error);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("a demoted or disabled owner's tokens shrink with them within seconds", "[owner]") {
  PlatformStack stack(IdentityPlatform());
  HttpClient api = stack.Api();
  const Session admin = stack.LoginAdmin();
  const auto [carol_id, carol_password] = stack.auth().CreateUser(admin.token, "carol");
  Ok(api.Patch("/api/v1/users/" + carol_id, json{{"role", "admin"}}.dump(), admin.token));
  const Session carol = stack.auth().Login("carol", carol_password);
  const std::string token =
      MakeApiToken(stack, carol.token, "admin-tool", {"users:write"})["token"];
  Ok(api.Get("/api/v1/users", token));
  Ok(api.Post("/api/v1/users", json{{"username", "dave"}, {"password", "a-long-password-2"}}.dump(),
              token));

  Ok(api.Patch("/api/v1/users/" + carol_id, json{{"role", "user"}}.dump(), admin.token));
  CHECK(Eventually([&] { return api.Get("/api/v1/users", token).status == 403; }));
  RequireError(
      api.Post("/api/v1/users",
               json{{"username", "erin"}, {"password", "a-long-password-3"}}.dump(), token),
      403, kPermissionDenied);
  // Within the owner's rights the token still works.
  CHECK(Ok(api.Get("/api/v1/users/me", token))["username"] == "carol");

  Ok(api.Patch("/api/v1/users/" + carol_id, json{{"active", false}}.dump(), admin.token));
  CHECK(Eventually([&] { return api.Get("/api/v1/users/me", token).status == 401; }));
  CHECK(Eventually([&] {
    return GetMeOverGrpc(stack, token).error_code() == grpc::StatusCode::UNAUTHENTICATED;
  }));
}

TEST_CASE(
    "a token is shown once, stored as a hash, listed with its last use, expires and is "
    "revoked everywhere within 5 s",
    "[lifecycle]") {
  PlatformStack stack(IdentityPlatform());
  ApplyFirefox(stack);
  HttpClient api = stack.Api();
  const Session alice = stack.NewUser("alice");
  const Session bob = stack.NewUser("bob");
  const json created = MakeApiToken(stack, alice.token, "ci", {"sessions:read"});
  const std::string token = created["token"];
  const std::string id = created["apiToken"]["id"];
  CHECK(created["apiToken"]["scopes"] == json::array({"sessions:read"}));
  CHECK(created["apiToken"]["user"] == "alice");
  CHECK_FALSE(created["apiToken"].contains("lastUsedAt"));

  // Stored only as a hash: no column of the table holds the token or its secret part.
  // "sst_<id>_<secret>": the id is hex, the secret base64url (which may hold '_').
  const std::string secret = token.substr(token.find('_', 4) + 1);
  REQUIRE(secret.size() == 43);
  const std::string rows = stack.postgres().Query("SELECT t::text FROM auth.api_tokens t");
  CHECK(rows.find(id) != std::string::npos);
  CHECK(rows.find(secret) == std::string::npos);

  // Listed without the secret, with the last use once the token was used.
  Ok(api.Get("/api/v1/sessions", token));
  CHECK(Eventually([&] {
    const json listed = Ok(api.Get("/api/v1/tokens", alice.token));
    return listed["total"] == 1 && listed["tokens"][0].contains("lastUsedAt");
  }));
  CHECK(api.Get("/api/v1/tokens", alice.token).body.find(secret) == std::string::npos);
  CHECK(Ok(api.Get("/api/v1/tokens", bob.token))["total"] == 0);

  // Another user cannot see or revoke it; an admin can see it.
  RequireError(api.Get("/api/v1/tokens?user=alice", bob.token), 404, kNotFound);
  RequireError(api.Delete("/api/v1/tokens/" + id, bob.token), 404, kNotFound);
  const Session admin = stack.LoginAdmin();
  CHECK(Ok(api.Get("/api/v1/tokens?user=alice", admin.token))["total"] == 1);

  // Revocation reaches the gateway and every service within 5 s.
  Ok(api.Delete("/api/v1/tokens/" + id, alice.token));
  const auto revoked_at = std::chrono::steady_clock::now();
  CHECK(Eventually([&] { return api.Get("/api/v1/sessions", token).status == 401; }));
  CHECK(Eventually(
      [&] { return ListSessionsOverGrpc(stack, token) == grpc::StatusCode::UNAUTHENTICATED; }));
  CHECK(std::chrono::steady_clock::now() - revoked_at < std::chrono::seconds(5));
  RequireError(api.Delete("/api/v1/tokens/" + id, alice.token), 404, kNotFound);

  // Expiry.
  const std::string brief =
      MakeApiToken(stack, alice.token, "brief", {"sessions:read"}, InSeconds(6))["token"];
  Ok(api.Get("/api/v1/sessions", brief));
  CHECK(Eventually([&] { return api.Get("/api/v1/sessions", brief).status == 401; },
                   std::chrono::seconds(10)));
  CHECK(ListSessionsOverGrpc(stack, brief) == grpc::StatusCode::UNAUTHENTICATED);

  // Bad input is refused and creates nothing.
  const auto refuse = [&](const json& body, int status, int code) {
    INFO(body.dump());
    RequireError(api.Post("/api/v1/tokens", body.dump(), alice.token), status, code);
  };
  refuse({{"name", "x"}, {"scopes", {"sessions:admin"}}}, 400, kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", {"nothing:read"}}}, 400, kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", {"account:write"}}}, 400, kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", json::array()}}, 400, kInvalidArgument);
  refuse({{"name", ""}, {"scopes", {"sessions:read"}}}, 400, kInvalidArgument);
  refuse({{"name", std::string(65, 'n')}, {"scopes", {"sessions:read"}}}, 400, kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", {"sessions:read"}}, {"expiresAt", InSeconds(-10)}}, 400,
         kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", {"sessions:read"}}, {"expiresAt", InSeconds(367 * 86400)}}, 400,
         kInvalidArgument);
  refuse({{"name", "x"}, {"scopes", {"sessions:read"}}, {"expiresAt", "tomorrow"}}, 400,
         kInvalidArgument);
  refuse({{"name", "brief"}, {"scopes", {"sessions:read"}}}, 409, kAlreadyExists);
  CHECK(Ok(api.Get("/api/v1/tokens", alice.token))["total"] == 1);
  // A forged token of the right shape is simply unknown.
  RequireError(api.Get("/api/v1/sessions", "sst_" + std::string(32, 'a') + "_forged"), 401,
               kUnauthenticated);
  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
