// Issue 16 acceptance, who reaches groups and how: admins change them, operators read them, a
// user sees only their own (others 404); the user list without a session service that answers;
// and the directory the session service polls over gRPC with its service token.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>

#include "groups_support.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {
namespace {

using nlohmann::json;
namespace auth = streamspace::auth::v1;

// A port that accepts TCP connections (the kernel completes them into the backlog) and never
// says a word: a session service that is too slow.
class SilentPort {
 public:
  SilentPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(fd_, 64) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on a loopback port");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentPort() { close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("groups: admins change, operators read, users see only their own groups", "[roles]") {
  const SilentPort slow_session;
  StackOptions options;
  options.auth_env["SESSION_ADDR"] = slow_session.address();
  AuthStack stack(options);
  const std::string admin = stack.Login("admin", stack.admin_password()).token;
  const auto [alice_id, alice_password] = stack.CreateUser(admin, "alice");
  const auto [bob_id, bob_password] = stack.CreateUser(admin, "bob");
  const auto [oscar_id, oscar_password] = stack.CreateUser(admin, "oscar");
  Ok(GroupCall(stack, "PATCH", "/users/" + oscar_id, admin, {{"role", "operator"}}));
  const std::string alice = stack.Login("alice", alice_password).token;
  const std::string bob = stack.Login("bob", bob_password).token;
  const std::string oscar = stack.Login("oscar", oscar_password).token;

  const std::string red = CreateGroup(stack, admin, {{"name", "red"}})["id"];
  const std::string blue = CreateGroup(stack, admin, {{"name", "blue"}})["id"];
  Ok(GroupCall(stack, "POST", "/groups/" + red + "/members", admin, {{"userId", alice_id}}));

  {
    INFO("an operator reads everything and changes nothing");
    const std::string before = GroupTables(stack);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups", oscar))) ==
          std::vector<std::string>{"blue", "red"});
    CHECK(Ok(GroupCall(stack, "GET", "/groups/" + blue, oscar))["name"] == "blue");
    CHECK(Ok(GroupCall(stack, "GET", "/groups/" + red + "/members", oscar))["total"] == 1);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/alice/groups", oscar))) ==
          std::vector<std::string>{"red"});
    RequireError(GroupCall(stack, "POST", "/groups", oscar, {{"name", "green"}}), 403, 7);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + red, oscar, {{"displayName", "x"}}), 403,
                 7);
    RequireError(GroupCall(stack, "DELETE", "/groups/" + blue, oscar), 403, 7);
    RequireError(
        GroupCall(stack, "POST", "/groups/" + blue + "/members", oscar, {{"userId", "bob"}}), 403,
        7);
    RequireError(GroupCall(stack, "PATCH", "/groups/" + red + "/members/" + alice_id, oscar,
                           {{"role", "owner"}}),
                 403, 7);
    RequireError(GroupCall(stack, "DELETE", "/groups/" + red + "/members/" + alice_id, oscar), 403,
                 7);
    CHECK(GroupTables(stack) == before);
  }
  {
    INFO("a user sees only the groups they belong to; any other answers 404");
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups", alice))) ==
          std::vector<std::string>{"red"});
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups?type=team", alice))) ==
          std::vector<std::string>{"red"});
    CHECK(Ok(GroupCall(stack, "GET", "/groups/" + red, alice))["memberCount"] == 1);
    RequireError(GroupCall(stack, "GET", "/groups/" + blue, alice), 404, 5);
    RequireError(GroupCall(stack, "GET", "/groups/" + std::string(kUnknownGroupId), alice), 404, 5);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/" + alice_id + "/groups", alice))) ==
          std::vector<std::string>{"red"});
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/users/alice/groups", alice))) ==
          std::vector<std::string>{"red"});
    RequireError(GroupCall(stack, "GET", "/users/" + bob_id + "/groups", alice), 404, 5);
    RequireError(GroupCall(stack, "GET", "/users/bob/groups", alice), 404, 5);
    RequireError(GroupCall(stack, "GET", "/users/nobody/groups", alice), 404, 5);
    RequireError(GroupCall(stack, "GET", "/groups/" + red + "/members", alice), 403, 7);
    RequireError(GroupCall(stack, "POST", "/groups", alice, {{"name", "mine"}}), 403, 7);
    RequireError(
        GroupCall(stack, "POST", "/groups/" + red + "/members", alice, {{"userId", "bob"}}), 403,
        7);
    CHECK(GroupNamesOf(Ok(GroupCall(stack, "GET", "/groups", bob))).empty());
    RequireError(GroupCall(stack, "GET", "/groups/" + red, bob), 404, 5);
  }
  {
    INFO(
        "a session service that does not answer: the user list still answers, in about the "
        "quota deadline, without quotas, and auth warns once");
    for (int i = 0; i < 2; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const json users = Ok(GroupCall(stack, "GET", "/users", admin));
      const auto elapsed = std::chrono::steady_clock::now() - start;
      CHECK(elapsed < std::chrono::seconds(3));
      CHECK(users["total"] == 4);
      for (const json& user : users["users"]) {
        CHECK_FALSE(user.contains("quota"));
        CHECK(user["groups"] ==
              (user["username"] == "alice" ? json::array({"red"}) : json::array()));
      }
    }
    const std::string log = ReadFile(stack.log_dir() / "auth-0.log");
    size_t warnings = 0;
    for (size_t at = log.find("user list without quotas"); at != std::string::npos;
         at = log.find("user list without quotas", at + 1)) {
      ++warnings;
    }
    CHECK(warnings == 1);
  }
  stack.RequireNoSecretsInLogs();
}

TEST_CASE("groups: the directory of users and groups, versioned, for services over gRPC",
          "[directory]") {
  StackOptions options;
  options.service_clients = {"session"};
  AuthStack stack(options);
  const std::string admin = stack.Login("admin", stack.admin_password()).token;
  auto stub = auth::AuthService::NewStub(stack.AuthChannel());

  std::string service_token;
  {
    grpc::ClientContext context;
    auth::IssueServiceTokenRequest request;
    request.set_service("session");
    request.set_secret(stack.ServiceSecret("session"));
    auth::IssueServiceTokenResponse response;
    REQUIRE(stub->IssueServiceToken(&context, request, &response).ok());
    service_token = response.token();
    stack.Remember(service_token);
  }
  const auto fetch = [&](int64_t known, const std::string& token, auth::GroupDirectory* out) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", "Bearer " + token);
    auth::GetGroupDirectoryRequest request;
    request.set_known_version(known);
    return stub->GetGroupDirectory(&context, request, out);
  };
  auth::GroupDirectory directory;
  CHECK(fetch(0, admin, &directory).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(fetch(0, service_token, &directory).ok());
  CHECK(directory.changed());
  CHECK(directory.version() > 0);
  REQUIRE(directory.users_size() == 1);
  CHECK(directory.users(0).username() == "admin");
  CHECK(directory.users(0).group_ids().empty());
  CHECK(directory.groups().empty());

  // Each change moves the version; the lists then show it. Between changes, and after a change
  // that was refused or that the directory does not hold (a login), nothing moved.
  int64_t version = directory.version();
  const auto changed = [&](const std::string& what) {
    INFO(what);
    auth::GroupDirectory next;
    REQUIRE(fetch(version, service_token, &next).ok());
    CHECK(next.changed());
    CHECK(next.version() > version);
    version = next.version();
    auth::GroupDirectory same;
    REQUIRE(fetch(version, service_token, &same).ok());
    CHECK_FALSE(same.changed());
    CHECK(same.version() == version);
    CHECK(same.users().empty());
    CHECK(same.groups().empty());
    return next;
  };
  const auto unchanged = [&](const std::string& what) {
    INFO(what);
    auth::GroupDirectory same;
    REQUIRE(fetch(version, service_token, &same).ok());
    CHECK_FALSE(same.changed());
    CHECK(same.version() == version);
  };
  const auto user_of = [](const auth::GroupDirectory& d, const std::string& name) {
    for (const auth::DirectoryUser& user : d.users()) {
      if (user.username() == name)
        return user;
    }
    FAIL("no user " << name << " in the directory");
    return auth::DirectoryUser();
  };

  const auto [carol_id, carol_password] = stack.CreateUser(admin, "carol");
  CHECK(user_of(changed("user created"), "carol").id() == carol_id);
  stack.Login("carol", carol_password);
  unchanged("a login");
  const std::string org = CreateGroup(stack, admin, {{"name", "org"}})["id"];
  changed("group created");
  const std::string team = CreateGroup(stack, admin, {{"name", "team"}})["id"];
  changed("second group created");
  RequireError(GroupCall(stack, "POST", "/groups", admin, {{"name", "org"}}), 409, 6);
  unchanged("a duplicate refused");
  {
    Ok(GroupCall(stack, "PATCH", "/groups/" + team, admin, {{"parentId", org}}));
    const auth::GroupDirectory d = changed("group re-parented");
    std::map<std::string, std::string> parents;
    for (const auth::DirectoryGroup& group : d.groups())
      parents[group.name()] = group.has_parent_id() ? group.parent_id() : "";
    CHECK(parents == std::map<std::string, std::string>{{"org", ""}, {"team", org}});
  }
  RequireError(GroupCall(stack, "PATCH", "/groups/" + org, admin, {{"parentId", team}}), 400, 3);
  unchanged("a cycle refused");
  {
    Ok(GroupCall(stack, "POST", "/groups/" + team + "/members", admin, {{"userId", "carol"}}));
    const auth::DirectoryUser carol = user_of(changed("member added"), "carol");
    CHECK(std::vector<std::string>(carol.group_ids().begin(), carol.group_ids().end()) ==
          std::vector<std::string>{team});
  }
  Ok(GroupCall(stack, "PATCH", "/groups/" + team + "/members/" + carol_id, admin,
               {{"role", "owner"}}));
  changed("member role changed");
  Ok(GroupCall(stack, "DELETE", "/groups/" + team + "/members/" + carol_id, admin));
  CHECK(user_of(changed("member removed"), "carol").group_ids().empty());
  Ok(GroupCall(stack, "PATCH", "/groups/" + org, admin, {{"description", "the whole company"}}));
  changed("group described");
  Ok(GroupCall(stack, "DELETE", "/groups/" + team, admin));
  CHECK(changed("group deleted").groups_size() == 1);
  Ok(GroupCall(stack, "DELETE", "/users/" + carol_id, admin));
  CHECK(changed("user deleted").users_size() == 1);
}

}  // namespace ss::test
