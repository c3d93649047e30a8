// Issue 17 acceptance of the audit log: each kind of change (sign-in, failed sign-in, sign-out, a
// session created, an admin's node action, an API token used outside its scopes) leaves exactly
// one record with who, what, when, from where and the outcome; reads leave none; no secret is in
// any record; admins page and filter the log; and a change whose record cannot be written is not
// made.
#include <catch2/catch.hpp>

#include "identity_support.h"
#include "session_support.h"
#include "streamspace/session/v1/session.grpc.pb.h"

namespace ss::test {
namespace {

namespace session_pb = streamspace::session::v1;
using nlohmann::json;

constexpr int kPermissionDenied = 7;

constexpr const char* kNodeYaml = R"yaml(
apiVersion: v1
kind: Node
metadata:
  name: node-x
  labels: {kubernetes.io/hostname: node-x}
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  conditions: [{type: Ready, status: "True"}]
)yaml";

class AuditLog {
 public:
  AuditLog(PlatformStack& stack, std::string admin_token)
      : api_(stack.Api()), admin_token_(std::move(admin_token)) {}

  json Events(const std::string& query) {
    INFO("/api/v1/admin/audit?" << query);
    return Ok(api_.Get("/api/v1/admin/audit?pageSize=500&" + query, admin_token_));
  }
  int Count(const std::string& query) { return Events(query)["total"].get<int>(); }
  // The one event the query finds once it has its outcome; fails the test otherwise.
  json Only(const std::string& query) {
    json found;
    const bool single = Eventually([&] {
      const json events = Events(query);
      if (events["total"] != 1)
        return false;
      found = events["events"][0];
      return found["outcome"] != "pending";
    });
    INFO(query << ": " << Events(query).dump());
    REQUIRE(single);
    return found;
  }

 private:
  HttpClient api_;
  std::string admin_token_;
};

}  // namespace

TEST_CASE("every change leaves one audit record, reads none, and no secret", "[audit]") {
  PlatformStack stack(IdentityPlatform(true));
  ApplyFirefox(stack);
  stack.Apply(kNodeYaml);
  HttpClient api = stack.Api();
  const Session admin = stack.LoginAdmin();
  AuditLog log(stack, admin.token);
  const auto [alice_id, alice_password] = stack.auth().CreateUser(admin.token, "alice");
  stack.Remember(alice_password);

  // Sign-in, a failed one, and sign-out.
  RequireError(api.Post("/api/v1/auth/login",
                        json{{"username", "alice"}, {"password", "not-her-password!"}}.dump()),
               401, 16);
  const json failed = log.Only("method=Login&outcome=failed&object=alice");
  CHECK(failed["code"] == 16);
  CHECK(failed["service"] == "auth");
  CHECK(failed["object"] == "username=alice");
  CHECK_FALSE(failed["clientAddress"].get<std::string>().empty());
  const Session alice = stack.auth().Login("alice", alice_password);
  CHECK(log.Only("method=Login&outcome=ok&object=alice")["object"] == "username=alice");
  const Session alice_again = stack.auth().Login("alice", alice_password);
  Ok(api.Post("/api/v1/auth/logout", "{}", alice_again.token));
  const json logout = log.Only("method=Logout&user=alice");
  CHECK(logout["userId"] == alice_id);
  CHECK(logout["outcome"] == "ok");

  // A session created; reading it records nothing.
  const json created = CreateSession(api, alice.token, {{"template", "firefox"}});
  const std::string name = created["name"];
  const json create = log.Only("method=CreateSession");
  CHECK(create["username"] == "alice");
  CHECK(create["service"] == "session");
  CHECK_THAT(create["object"].get<std::string>(), Catch::Contains("template=firefox"));
  Ok(api.Get("/api/v1/sessions/" + name, alice.token));
  Ok(api.Get("/api/v1/sessions", alice.token));
  CHECK(log.Count("method=GetSession") == 0);
  CHECK(log.Count("method=ListSessions") == 0);
  Ok(api.Delete("/api/v1/sessions/" + name, alice.token));
  CHECK(log.Only("method=DeleteSession")["object"] == "name=" + name);

  // An admin's node action.
  CHECK(Eventually(
      [&] {
        return api.Post("/api/v1/admin/nodes/node-x/cordon", "{}", admin.token).status == 200;
      },
      std::chrono::seconds(15)));
  const json cordon = log.Only("method=CordonNode&outcome=ok");
  CHECK(cordon["username"] == "admin");
  CHECK(cordon["service"] == "nodes");
  CHECK(cordon["object"] == "name=node-x");

  // An API token used outside its scopes, on REST and on a WebSocket the gateway serves.
  const json reader = MakeApiToken(stack, alice.token, "reader", {"sessions:read"});
  RequireError(api.Post("/api/v1/sessions", json{{"template", "firefox"}}.dump(),
                        reader["token"].get<std::string>()),
               403, kPermissionDenied);
  const json outside = log.Only("method=CreateSession&outcome=failed");
  CHECK(outside["tokenId"] == reader["apiToken"]["id"]);
  CHECK(outside["username"] == "alice");
  CHECK(outside["code"] == kPermissionDenied);

  // No secret in any record, nor in the table.
  const std::string dump = log.Events("").dump();
  const std::string table = stack.postgres().Query("SELECT e::text FROM auth.audit_events e");
  for (const std::string& secret :
       {alice_password, alice.token, alice_again.token, admin.token, stack.auth().admin_password(),
        reader["token"].get<std::string>()}) {
    CHECK(dump.find(secret) == std::string::npos);
    CHECK(table.find(secret) == std::string::npos);
  }

  // Admins page and filter; nobody else reads the log.
  const json first = log.Events("").at("events");
  const json page = Ok(api.Get("/api/v1/admin/audit?pageSize=2", admin.token));
  REQUIRE(page["events"].size() == 2);
  CHECK(page["events"][0]["id"] == first[0]["id"]);
  const json next = Ok(api.Get(
      "/api/v1/admin/audit?pageSize=2&pageToken=" + page["nextPageToken"].get<std::string>(),
      admin.token));
  CHECK(next["events"][0]["id"] == first[2]["id"]);
  for (const json& event : log.Events("outcome=failed")["events"])
    CHECK(event["outcome"] == "failed");
  RequireError(api.Get("/api/v1/admin/audit", alice.token), 403, kPermissionDenied);
  RequireError(api.Get("/api/v1/admin/audit?since=yesterday", admin.token), 400, 3);
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("a change whose audit record cannot be written is refused and not made", "[no-record]") {
  PlatformStack stack(IdentityPlatform());
  ApplyFirefox(stack);
  const Session alice = stack.NewUser("alice");
  // The session service verifies alice's token locally; only the audit log is gone.
  for (AuthReplica& replica : stack.auth().auth())
    replica.process->Stop();
  auto stub = session_pb::SessionService::NewStub(stack.Channel("session"));
  grpc::ClientContext context;
  Authorize(&context, alice.token);
  session_pb::CreateSessionRequest request;
  request.set_template_("firefox");
  session_pb::Session response;
  const grpc::Status status = stub->CreateSession(&context, request, &response);
  CHECK(status.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK_THAT(status.error_message(), Catch::Contains("audit"));
  CHECK(KubectlNames(stack, "sessions").empty());
}

}  // namespace ss::test
