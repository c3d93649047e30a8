// Issue 6: pod logs (tail over REST, follow as a stream) for their owners only, and the cluster
// metrics stream (issue 15: the seed's metrics_update, each caller's own).
#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <vector>

#include "nodes_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

// A session pod of `user_id` (empty: a pod with the user's name label alone, which owns nothing).
std::string PodYaml(const std::string& name, const std::string& user, const std::string& user_id) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\n  namespace: streamspace\n  labels:\n    streamspace.io/user: " + user +
         (user_id.empty() ? "" : "\n    streamspace.io/user-id: \"" + user_id + "\"") +
         "\n    streamspace.io/session: " + name +
         "\nspec:\n  containers: [{name: desktop, image: "
         "\"lscr.io/linuxserver/firefox:latest\"}]\n";
}

// Waits until the pod runs, has written a few lines and the service's cache knows it.
void WaitForLogs(NodesStack& stack, const std::string& pod) {
  HttpClient api = stack.Api();
  REQUIRE(Eventually(
      [&] {
        const HttpResponse logs =
            api.Get("/api/v1/cluster/pods/streamspace/" + pod + "/logs", stack.admin_token());
        return logs.status == 200 && logs.Json().value("lines", json::array()).size() >= 5;
      },
      std::chrono::seconds(30)));
}

}  // namespace

TEST_CASE("nodes: pod logs are their owner's", "[logs]") {
  NodesStack stack;
  HttpClient api = stack.Api();
  const auto alice_user = stack.platform().NewUser("alice");
  const auto bob_user = stack.platform().NewUser("bob");
  const std::string& alice = alice_user.token;
  const std::string& bob = bob_user.token;
  stack.platform().Apply(PodYaml("alice-desktop", "alice", alice_user.user_id));
  stack.platform().Apply(PodYaml("bob-desktop", "bob", bob_user.user_id));
  // Owned by id alone: a pod with alice's name label but no id label is nobody's.
  stack.platform().Apply(PodYaml("alice-unlabelled", "alice", ""));
  WaitForLogs(stack, "alice-desktop");
  WaitForLogs(stack, "bob-desktop");
  WaitForLogs(stack, "alice-unlabelled");
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/alice-unlabelled/logs", alice).status == 404);

  const HttpResponse own =
      api.Get("/api/v1/cluster/pods/streamspace/alice-desktop/logs?tailLines=3", alice);
  REQUIRE(own.status == 200);
  const json body = own.Json();
  CHECK(body["pod"] == "alice-desktop");
  CHECK(body["lines"].size() == 3);
  const auto [status, kubectl_logs] =
      stack.platform().Kubectl("logs -n streamspace alice-desktop --tail=200");
  CHECK(status == 0);
  CHECK(kubectl_logs.find(body["lines"][0].get<std::string>() + "\n") != std::string::npos);

  const HttpResponse others = api.Get("/api/v1/cluster/pods/streamspace/bob-desktop/logs", alice);
  CHECK(others.status == 404);
  CHECK(IsStatusBody(others, 5));
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/alice-desktop/logs", bob).status == 404);
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/bob-desktop/logs", bob).status == 200);
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/nothing/logs", stack.admin_token()).status ==
        404);
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/alice-desktop/logs?tailLines=-1", alice).status ==
        400);
  // System pods are the admins' alone.
  const auto [listed, pods] =
      stack.platform().Kubectl("get pods -n kube-system -o jsonpath='{.items[0].metadata.name}'");
  REQUIRE(listed == 0);
  CHECK(api.Get("/api/v1/cluster/pods/kube-system/" + pods + "/logs", alice).status == 404);
  CHECK(api.Get("/api/v1/cluster/pods/kube-system/" + pods + "/logs", stack.admin_token()).status ==
        200);
  CHECK(api.Get("/api/v1/cluster/pods/streamspace/alice-desktop/logs", "").status == 401);
}

TEST_CASE("nodes: following a pod's log delivers new lines and ends with the pod", "[follow]") {
  NodesStack stack;
  const auto alice_user = stack.platform().NewUser("alice");
  const auto bob_user = stack.platform().NewUser("bob");
  const std::string& alice = alice_user.token;
  const std::string& bob = bob_user.token;
  stack.platform().Apply(PodYaml("alice-desktop", "alice", alice_user.user_id));
  WaitForLogs(stack, "alice-desktop");
  auto stub = stack.Stub();

  {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, bob);
    nodes_pb::FollowPodLogsRequest request;
    request.set_namespace_("streamspace");
    request.set_pod("alice-desktop");
    auto reader = stub->FollowPodLogs(&context, request);
    nodes_pb::PodLogEvent event;
    CHECK_FALSE(reader->Read(&event));
    CHECK(reader->Finish().error_code() == grpc::StatusCode::NOT_FOUND);
  }

  grpc::ClientContext context;
  NodesStack::Authorize(&context, alice);
  nodes_pb::FollowPodLogsRequest request;
  request.set_namespace_("streamspace");
  request.set_pod("alice-desktop");
  request.set_tail_lines(1);
  auto reader = stub->FollowPodLogs(&context, request);
  std::vector<std::string> lines;
  nodes_pb::PodLogEvent event;
  while (lines.size() < 5 && reader->Read(&event)) {
    CHECK(event.type() == "log");
    lines.push_back(event.line());
  }
  REQUIRE(lines.size() == 5);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == 5);  // new lines, not repeats

  const auto [deleted, output] =
      stack.platform().Kubectl("delete pod -n streamspace alice-desktop --wait=false");
  INFO(output);
  REQUIRE(deleted == 0);
  std::string last_type;
  while (reader->Read(&event)) {
    last_type = event.type();
    if (last_type == "end")
      CHECK(event.reason() == "pod deleted");
  }
  CHECK(last_type == "end");
  CHECK(reader->Finish().ok());
}

TEST_CASE("nodes: one user follows at most FOLLOW_LIMIT_PER_USER (4) pod logs at once",
          "[follow-limit]") {
  NodesStack stack;
  const auto alice_user = stack.platform().NewUser("alice");
  stack.platform().Apply(PodYaml("alice-desktop", "alice", alice_user.user_id));
  WaitForLogs(stack, "alice-desktop");
  auto stub = stack.Stub();
  nodes_pb::FollowPodLogsRequest request;
  request.set_namespace_("streamspace");
  request.set_pod("alice-desktop");
  request.set_tail_lines(1);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<nodes_pb::PodLogEvent>>> readers;
  nodes_pb::PodLogEvent event;
  for (int i = 0; i < 4; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    NodesStack::Authorize(contexts.back().get(), alice_user.token);
    readers.push_back(stub->FollowPodLogs(contexts.back().get(), request));
    REQUIRE(readers.back()->Read(&event));  // admitted: its first line came
  }
  grpc::ClientContext refused_context;
  NodesStack::Authorize(&refused_context, alice_user.token);
  auto refused = stub->FollowPodLogs(&refused_context, request);
  CHECK_FALSE(refused->Read(&event));
  const grpc::Status status = refused->Finish();
  CHECK(status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK(status.error_message().find("per user") != std::string::npos);
  // Admins have limits of their own.
  grpc::ClientContext admin_context;
  NodesStack::Authorize(&admin_context, stack.admin_token());
  auto admin = stub->FollowPodLogs(&admin_context, request);
  CHECK(admin->Read(&event));
  admin_context.TryCancel();

  // A closed follow gives its place back.
  contexts.front()->TryCancel();
  REQUIRE(Eventually(
      [&] {
        grpc::ClientContext context;
        NodesStack::Authorize(&context, alice_user.token);
        auto again = stub->FollowPodLogs(&context, request);
        const bool admitted = again->Read(&event);
        context.TryCancel();
        return admitted;
      },
      std::chrono::seconds(30)));
  for (auto& context : contexts)
    context->TryCancel();
}

TEST_CASE("nodes: the cluster metrics stream ticks with the caller's figures", "[metrics]") {
  NodesStack stack;
  const std::string user = stack.platform().NewUser("watcher").token;
  auto stub = stack.Stub();

  // A user gets their own connections only (no session service here: they stay 0).
  {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, user);
    auto reader = stub->WatchClusterMetrics(&context, nodes_pb::WatchClusterMetricsRequest());
    nodes_pb::ClusterMetricsEvent event;
    REQUIRE(reader->Read(&event));
    CHECK(event.type() == "metrics_update");
    CHECK(event.metrics().active_connections() == 0);
    CHECK_FALSE(event.metrics().has_cluster());
    context.TryCancel();
  }

  // An admin also gets the cluster block, sessions counted by state.
  grpc::ClientContext context;
  NodesStack::Authorize(&context, stack.admin_token());
  auto reader = stub->WatchClusterMetrics(&context, nodes_pb::WatchClusterMetricsRequest());
  nodes_pb::ClusterMetricsEvent event;
  REQUIRE(reader->Read(&event));
  CHECK(event.type() == "metrics_update");
  REQUIRE(event.metrics().has_cluster());
  const nodes_pb::ClusterOverview& first = event.metrics().cluster();
  CHECK(first.nodes().total() == 4);
  CHECK(first.nodes().ready() == 4);
  CHECK(first.resources().pods().used() > 0);
  CHECK(first.resources().memory().total() > 0);

  stack.platform().Apply(
      "apiVersion: stream.streamspace.io/v1alpha1\nkind: Session\nmetadata:\n"
      "  name: watcher-firefox-0a1b2c3d\n  namespace: streamspace\n"
      "spec: {user: watcher, template: firefox, state: running}\n");
  bool counted = false;
  int ticks = 0;
  while (!counted && ticks < 60 && reader->Read(&event)) {
    ++ticks;
    CHECK(event.type() == "metrics_update");
    const auto& sessions = event.metrics().cluster().sessions();
    counted = sessions.total() == 1 && sessions.running() == 1;
  }
  CHECK(counted);
  CHECK(ticks >= 1);
  context.TryCancel();
}

TEST_CASE("nodes: the WebSockets of the gateway carry metrics ticks and followed logs",
          "[websocket]") {
  NodesStack stack;
  const int port = stack.platform().auth().api_port();
  const auto alice_user = stack.platform().NewUser("alice");
  const auto bob_user = stack.platform().NewUser("bob");
  const std::string& alice = alice_user.token;
  const std::string& bob = bob_user.token;

  // The seed's metrics_update, each client its own: users their connections, admins also the
  // cluster block.
  WsReader first(port, "/api/v1/ws/cluster", alice);
  WsReader admin(port, "/api/v1/ws/cluster", stack.admin_token());
  for (int tick = 0; tick < 2; ++tick) {
    const auto mine = first.Next();
    REQUIRE(mine);
    CHECK((*mine)["type"] == "metrics_update");
    CHECK((*mine)["metrics"]["activeConnections"] == 0);
    CHECK_FALSE((*mine)["metrics"].contains("cluster"));
    const auto all = admin.Next();
    REQUIRE(all);
    CHECK((*all)["type"] == "metrics_update");
    CHECK((*all)["metrics"]["cluster"]["nodes"]["total"] == 4);
  }

  stack.platform().Apply(PodYaml("alice-desktop", "alice", alice_user.user_id));
  WaitForLogs(stack, "alice-desktop");
  WsReader others(port, "/api/v1/ws/logs/streamspace/alice-desktop", bob);
  CHECK_FALSE(others.Next());
  CHECK(others.closed());
  CHECK(others.close_reason().code == boost::beast::websocket::close_code::policy_error);
  const auto reason = others.close_reason().reason;
  CHECK(std::string(reason.data(), reason.size()).find("not found") != std::string::npos);

  // Our protocol: typed log and end messages (the seed's clients get each line as a string).
  WsReader follow(port, "/api/v1/ws/logs/streamspace/alice-desktop?tailLines=1",
                  WsOptions{alice, "", "", "streamspace.v1"});
  std::set<std::string> lines;
  while (lines.size() < 4) {
    const auto message = follow.Next();
    REQUIRE(message);
    CHECK((*message)["type"] == "log");
    lines.insert((*message)["line"].get<std::string>());
  }
  const auto [deleted, output] =
      stack.platform().Kubectl("delete pod -n streamspace alice-desktop --wait=false");
  INFO(output);
  REQUIRE(deleted == 0);
  std::optional<nlohmann::json> last;
  while (auto message = follow.Next())
    last = message;
  REQUIRE(last);
  CHECK((*last)["type"] == "end");
  CHECK((*last)["reason"] == "pod deleted");
  CHECK(follow.close_reason().code == boost::beast::websocket::close_code::normal);
}

}  // namespace ss::test
