// WebSocket routes of the echo proto (echo.proto's WatchItems, WatchTicks and FollowItem) through
// a real gateway over real sockets, with Boost.Beast WebSocket clients: authentication at the
// upgrade (header, subprotocol, ?token=, the sign-in cookie with an allowed Origin), snapshots and
// deltas filtered by owner, the seed's protocol for clients without the subprotocol (whole lists
// at most once a second, values), one upstream stream for many clients, slow readers, an upstream
// restart, per-client streams and keepalive. Tokens are real signed tokens
// from an in-process stand-in for auth's key endpoints (fake_auth.h).
#include <grpcpp/grpcpp.h>
#include <sys/wait.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "fake_auth.h"
#include "http_client.h"
#include "process.h"
#include "streamspace/testing/v1/echo.grpc.pb.h"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace echo = streamspace::testing::v1;
using tcp = net::ip::tcp;
using Json = nlohmann::json;
using ss::test::Process;

constexpr char kItems[] = "/echo/v1/ws/items";
constexpr char kTicks[] = "/echo/v1/ws/ticks";
constexpr char kFollowRoute[] = "/echo/v1/ws/shelves/{shelf}/items/{id}";
constexpr char kItemLists[] = "/echo/v1/ws/item-lists";
constexpr char kTickValues[] = "/echo/v1/ws/tick-values";

using ss::test::RequiredEnv;

bool Eventually(const std::function<bool()>& probe,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!probe()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

echo::ItemEvent ItemEvent(const std::string& type, const std::string& id, const std::string& owner,
                          int version = 1, std::string payload = "") {
  echo::ItemEvent event;
  event.set_type(type);
  event.mutable_item()->set_id(id);
  event.mutable_item()->set_owner(owner);
  event.mutable_item()->set_version(version);
  event.mutable_item()->set_payload(std::move(payload));
  return event;
}

// ECHO_SEED: items the echo server starts with.
std::string Seed(const std::vector<echo::ItemEvent>& events) {
  Json seed = {{"events", Json::array()}};
  for (const auto& event : events) {
    seed["events"].push_back({{"type", event.type()},
                              {"item",
                               {{"id", event.item().id()},
                                {"owner", event.item().owner()},
                                {"version", std::to_string(event.item().version())}}}});
  }
  return seed.dump();
}

// Fake auth, an echo server and a gateway serving echo.proto from its descriptor set.
class WsStack {
 public:
  explicit WsStack(ss::test::Environment gateway_env = {}, const std::string& seed = "")
      : dir_("ss-gateway-ws-"),
        echo_port_(ss::test::FreePort()),
        api_port_(ss::test::FreePort()),
        metrics_port_(ss::test::FreePort()) {
    StartEcho(seed);
    ss::test::Environment env = {{"API_ADDRESS", "127.0.0.1"},
                                 {"API_PORT", std::to_string(api_port_)},
                                 {"METRICS_PORT", std::to_string(metrics_port_)},
                                 {"ECHO_ADDR", "127.0.0.1:" + std::to_string(echo_port_)},
                                 {"AUTH_ADDR", auth_.address()},
                                 {"SERVICE_SECRET", ss::test::FakeAuth::kServiceSecret},
                                 {"GATEWAY_DESCRIPTOR_SETS", RequiredEnv("ECHO_DESCRIPTOR_SET")},
                                 {"LOG_LEVEL", "debug"}};
    for (auto& [name, value] : gateway_env)
      env[name] = std::move(value);
    gateway_ = std::make_unique<Process>(ss::test::ProcessOptions{
        RequiredEnv("GATEWAY_BIN"), {}, std::move(env), dir_.path() / "gateway.log", std::nullopt});
    REQUIRE(gateway_->WaitForPort(api_port_));
    // Both have loaded the keys once a signed-in call goes through.
    const auto token = Token("alice");
    REQUIRE(Eventually([&] { return Api().Get("/echo/v1/items/mine", token).status == 200; }));
  }

  ~WsStack() {
    if (gateway_ && gateway_->Running())
      gateway_->Stop();
    if (echo_)
      echo_->Stop();
  }

  void StartEcho(const std::string& seed = "") {
    ss::test::Environment env = {{"GRPC_ADDR", "127.0.0.1:" + std::to_string(echo_port_)},
                                 {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                                 {"AUTH_ADDR", auth_.address()},
                                 {"SERVICE_SECRET", ss::test::FakeAuth::kServiceSecret},
                                 {"ECHO_SEED", seed}};
    echo_ = std::make_unique<Process>(ss::test::ProcessOptions{RequiredEnv("ECHO_SERVER_BIN"),
                                                               {},
                                                               std::move(env),
                                                               dir_.path() / "echo.log",
                                                               std::nullopt});
    REQUIRE(echo_->WaitForPort(echo_port_));
    stub_ = echo::EchoService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(echo_port_), grpc::InsecureChannelCredentials()));
  }

  void KillEcho() {
    echo_->Stop(SIGKILL);
    echo_.reset();
  }

  std::string Token(const std::string& user, const std::string& role = "user",
                    std::chrono::seconds ttl = std::chrono::hours(1)) const {
    return auth_.Issue(user, role, ttl);
  }

  Process& gateway() { return *gateway_; }
  ss::test::FakeAuth& auth() { return auth_; }

  ss::test::HttpClient Api() const { return ss::test::HttpClient("127.0.0.1", api_port_); }
  int api_port() const { return api_port_; }

  echo::StreamStats Stats() {
    grpc::ClientContext context;
    echo::StreamStats stats;
    REQUIRE(stub_->GetStreamStats(&context, echo::GetStreamStatsRequest(), &stats).ok());
    return stats;
  }

  void Publish(const echo::PublishRequest& request) {
    grpc::ClientContext context;
    echo::PublishResponse response;
    const auto status = stub_->Publish(&context, request, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
  }

  void Publish(const std::vector<echo::ItemEvent>& events) {
    echo::PublishRequest request;
    for (const auto& event : events)
      *request.add_events() = event;
    Publish(request);
  }

  // A sample of the gateway's metrics: `name{route="<route>"}`, 0 when absent.
  double Metric(const std::string& name, const std::string& route) {
    const auto body = ss::test::HttpClient("127.0.0.1", metrics_port_).Get("/metrics").body;
    const auto series = name + "{route=\"" + route + "\"} ";
    std::istringstream lines(body);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(series, 0) == 0)
        return std::stod(line.substr(series.size()));
    }
    return 0;
  }

 private:
  ss::test::TempDir dir_;
  ss::test::FakeAuth auth_;
  int echo_port_;
  int api_port_;
  int metrics_port_;
  std::unique_ptr<Process> echo_;
  std::unique_ptr<Process> gateway_;
  std::unique_ptr<echo::EchoService::Stub> stub_;
};

// A WebSocket client over Beast, each with its own io_context; reads wait with a timeout.
class WsClient {
 public:
  WsClient(int port, const std::string& target, const ss::test::Headers& headers) : ws_(io_) {
    net::connect(beast::get_lowest_layer(ws_),
                 tcp::resolver(io_).resolve("127.0.0.1", std::to_string(port)));
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
      for (const auto& [name, value] : headers)
        request.set(name, value);
    }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping)
        ++pings_;
    });
    ws_.handshake(response_, "127.0.0.1:" + std::to_string(port), target);
  }

  // Authorization: Bearer <token>.
  static std::unique_ptr<WsClient> Bearer(int port, const std::string& target,
                                          const std::string& token,
                                          ss::test::Headers headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    return std::make_unique<WsClient>(port, target, headers);
  }

  const websocket::response_type& response() const { return response_; }
  int pings() const { return pings_; }

  // The next message, as JSON; fails the test on a close, an error or the timeout.
  Json Next(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    if (!pending_)
      StartRead();
    RunUntil([this] { return done_; }, timeout);
    REQUIRE(done_);
    INFO(error_.message());
    REQUIRE(!error_);
    return Json::parse(beast::buffers_to_string(buffer_.data()));
  }

  // Reads (and drops) messages until the server closes; returns its close frame.
  websocket::close_reason ReadUntilClose(
      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      StartRead();
      RunUntil([this] { return done_; }, deadline - std::chrono::steady_clock::now());
      REQUIRE(done_);
      // A close frame arrived (the teardown after it may fail once the server is gone).
      if (error_ == websocket::error::closed || (error_ && ws_.reason().code != 0))
        return ws_.reason();
      INFO(error_.message());
      REQUIRE(!error_);
    }
    FAIL("no close within the timeout");
    return {};
  }

  // Waits until `probe` holds while a read is pending (so that pings are answered).
  bool PendingReadUntil(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
    StartRead();
    return RunUntil(probe, timeout);
  }

  // The message of the read PendingReadUntil started.
  Json FinishRead(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    RunUntil([this] { return done_; }, timeout);
    REQUIRE(done_);
    REQUIRE(!error_);
    return Json::parse(beast::buffers_to_string(buffer_.data()));
  }

  // True when no message comes for `timeout` (the read stays pending for the next Next).
  bool Quiet(std::chrono::milliseconds timeout) {
    StartRead();
    RunUntil([this] { return done_; }, timeout);
    pending_ = !done_;
    return !done_;
  }

  void Close() { ws_.close(websocket::close_code::normal); }

 private:
  void StartRead() {
    buffer_.clear();
    done_ = false;
    pending_ = false;
    ws_.async_read(buffer_, [this](beast::error_code error, std::size_t) {
      error_ = error;
      done_ = true;
    });
  }

  bool RunUntil(const std::function<bool()>& probe, std::chrono::steady_clock::duration timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    io_.restart();
    while (!probe() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(50));
      io_.restart();
    }
    return probe();
  }

  net::io_context io_;
  websocket::stream<tcp::socket> ws_;
  websocket::response_type response_;
  beast::flat_buffer buffer_;
  beast::error_code error_;
  bool done_ = false;
  // A read that Quiet started is still pending.
  bool pending_ = false;
  int pings_ = 0;
};

ss::test::Headers UpgradeHeaders(ss::test::Headers extra = {}) {
  extra["Connection"] = "Upgrade";
  extra["Upgrade"] = "websocket";
  extra["Sec-WebSocket-Version"] = "13";
  extra["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==";
  return extra;
}

bool IsStatusBody(const ss::test::HttpResponse& response, int code) {
  const auto body = response.Json();
  return body.is_object() && body["code"] == code && body["message"].is_string() &&
         body["details"] == Json::array();
}

std::vector<std::string> Ids(const Json& items) {
  std::vector<std::string> ids;
  for (const auto& item : items)
    ids.push_back(item["id"]);
  return ids;
}

}  // namespace

TEST_CASE("the upgrade is authenticated like REST, by header or subprotocol", "[auth]") {
  WsStack stack;
  auto response = stack.Api().Get(kItems, stack.Token("alice"));
  CHECK(response.status == 400);
  CHECK(IsStatusBody(response, 9));
  CHECK(response.Json()["message"] == "WebSocket upgrade required");

  response = stack.Api().Send({"GET", kItems, UpgradeHeaders(), ""});
  CHECK(response.status == 401);
  CHECK(response.Header("www-authenticate") == "Bearer");
  CHECK(IsStatusBody(response, 16));
  response = stack.Api().Send(
      {"GET", kItems, UpgradeHeaders({{"Authorization", "Bearer not-a-token"}}), ""});
  CHECK(response.status == 401);
  response = stack.Api().Send(
      {"GET", kItems, UpgradeHeaders({{"Sec-WebSocket-Protocol", "streamspace.v1, bearer.x"}}),
       ""});
  CHECK(response.status == 401);

  auto by_header = WsClient::Bearer(stack.api_port(), kItems, stack.Token("alice"));
  CHECK(by_header->Next()["type"] == "snapshot");
  CHECK(by_header->response()[beast::http::field::sec_websocket_protocol].empty());

  WsClient by_protocol(
      stack.api_port(), kItems,
      {{"Sec-WebSocket-Protocol", "streamspace.v1, bearer." + stack.Token("alice")}});
  CHECK(by_protocol.response()[beast::http::field::sec_websocket_protocol] == "streamspace.v1");
  const auto snapshot = by_protocol.Next();
  CHECK(snapshot["type"] == "snapshot");
  CHECK(snapshot["items"] == Json::array());
}

TEST_CASE("a snapshot, then deltas, each client seeing only its own objects", "[owner]") {
  WsStack stack({}, Seed({ItemEvent("added", "a1", "alice"), ItemEvent("added", "b1", "bob")}));
  auto alice = WsClient::Bearer(stack.api_port(), kItems, stack.Token("alice"));
  auto bob = WsClient::Bearer(stack.api_port(), kItems, stack.Token("bob"));
  auto admin = WsClient::Bearer(stack.api_port(), kItems, stack.Token("root", "admin"));
  auto snapshot = alice->Next();
  CHECK(snapshot["type"] == "snapshot");
  CHECK(Ids(snapshot["items"]) == std::vector<std::string>{"a1"});
  CHECK(snapshot["items"][0] == Json::parse(R"({"id":"a1","owner":"alice","payload":"",
                                                "version":"1"})"));
  CHECK(Ids(bob->Next()["items"]) == std::vector<std::string>{"b1"});
  CHECK(Ids(admin->Next()["items"]) == std::vector<std::string>{"a1", "b1"});

  auto warning = ItemEvent("warning", "a2", "alice");
  warning.set_note("going idle");
  stack.Publish({ItemEvent("added", "b2", "bob"), ItemEvent("added", "a2", "alice"),
                 ItemEvent("modified", "a1", "alice", 2), ItemEvent("deleted", "b1", "bob"),
                 warning});

  auto message = alice->Next();
  CHECK(message["type"] == "added");
  CHECK(message["item"]["id"] == "a2");
  CHECK(message["items"] == Json::array());
  message = alice->Next();
  CHECK(message["type"] == "modified");
  CHECK(message["item"]["version"] == "2");
  message = alice->Next();
  CHECK(message["type"] == "warning");
  CHECK(message["note"] == "going idle");

  message = bob->Next();
  CHECK((message["type"] == "added" && message["item"]["id"] == "b2"));
  message = bob->Next();
  CHECK((message["type"] == "deleted" && message["item"]["id"] == "b1"));

  for (const char* expected : {"added b2", "added a2", "modified a1", "deleted b1", "warning a2"}) {
    message = admin->Next();
    CHECK(message["type"].get<std::string>() + " " + message["item"]["id"].get<std::string>() ==
          expected);
  }

  // A client that joins now gets the objects as they are now.
  auto late = WsClient::Bearer(stack.api_port(), kItems, stack.Token("Alice"));
  snapshot = late->Next();
  CHECK(Ids(snapshot["items"]) == std::vector<std::string>{"a1", "a2"});
  CHECK(snapshot["items"][0]["version"] == "2");
}

TEST_CASE("fifty clients share one upstream stream", "[fanout]") {
  WsStack stack;
  std::vector<std::unique_ptr<WsClient>> clients;
  const auto token = stack.Token("alice");
  for (int i = 0; i < 50; ++i) {
    clients.push_back(WsClient::Bearer(stack.api_port(), kItems, token));
    CHECK(clients.back()->Next()["type"] == "snapshot");
  }
  const auto stats = stack.Stats();
  CHECK(stats.open_watch_streams() == 1);
  CHECK(stats.watch_streams_opened() == 1);
  CHECK(stack.Metric("gateway_websocket_upstream_streams", kItems) == 1);
  CHECK(stack.Metric("gateway_websocket_clients", kItems) == 50);

  stack.Publish({ItemEvent("added", "x1", "alice")});
  for (auto& client : clients)
    CHECK(client->Next()["item"]["id"] == "x1");
  for (auto& client : clients)
    client->Close();
  CHECK(Eventually([&] { return stack.Metric("gateway_websocket_clients", kItems) == 0; }));
  CHECK(stack.Stats().watch_streams_opened() == 1);
}

TEST_CASE("a stream without objects is broadcast, and joiners get the last message", "[ticks]") {
  WsStack stack;
  auto first = WsClient::Bearer(stack.api_port(), kTicks, stack.Token("alice"));
  REQUIRE(Eventually([&] { return stack.Stats().open_tick_streams() == 1; }));
  echo::PublishRequest request;
  request.add_ticks()->set_sequence(1);
  request.mutable_ticks(0)->set_type("tick");
  stack.Publish(request);
  CHECK(first->Next() == Json::parse(R"({"type":"tick","sequence":"1","payload":""})"));
  auto second = WsClient::Bearer(stack.api_port(), kTicks, stack.Token("bob"));
  CHECK(second->Next()["sequence"] == "1");
  request.mutable_ticks(0)->set_sequence(2);
  stack.Publish(request);
  CHECK(first->Next()["sequence"] == "2");
  CHECK(second->Next()["sequence"] == "2");
}

TEST_CASE("a client that does not read is closed with 1013, others carry on", "[slow]") {
  WsStack stack;
  const auto token = stack.Token("alice");
  auto slow = WsClient::Bearer(stack.api_port(), kItems, token);
  CHECK(slow->Next()["type"] == "snapshot");
  auto reader = WsClient::Bearer(stack.api_port(), kItems, token);
  CHECK(reader->Next()["type"] == "snapshot");

  // A batch at a time, read by the reader before the next: it keeps up, the slow one does not.
  const std::string payload(64 << 10, 'p');
  for (int batch = 0; batch < 80; ++batch) {
    std::vector<echo::ItemEvent> events;
    for (int i = 0; i < 4; ++i) {
      events.push_back(
          ItemEvent("added", "big" + std::to_string(batch * 4 + i), "alice", 1, payload));
    }
    stack.Publish(events);
    for (const auto& event : events)
      REQUIRE(reader->Next()["item"]["id"] == event.item().id());
  }
  CHECK(
      Eventually([&] { return stack.Metric("gateway_websocket_slow_closes_total", kItems) >= 1; }));
  CHECK(slow->ReadUntilClose().code == websocket::close_code::try_again_later);
  CHECK(stack.Metric("gateway_websocket_slow_closes_total", kItems) == 1);

  stack.Publish({ItemEvent("deleted", "big0", "alice")});
  CHECK(reader->Next()["type"] == "deleted");
}

TEST_CASE("when the upstream restarts, clients stay connected and get what changed", "[restart]") {
  WsStack stack({}, Seed({ItemEvent("added", "s1", "alice"), ItemEvent("added", "s2", "alice"),
                          ItemEvent("added", "t1", "bob")}));
  auto alice = WsClient::Bearer(stack.api_port(), kItems, stack.Token("alice"));
  auto admin = WsClient::Bearer(stack.api_port(), kItems, stack.Token("root", "admin"));
  CHECK(Ids(alice->Next()["items"]) == std::vector<std::string>{"s1", "s2"});
  CHECK(Ids(admin->Next()["items"]) == std::vector<std::string>{"s1", "s2", "t1"});

  stack.KillEcho();
  stack.StartEcho(Seed({ItemEvent("added", "s1", "alice", 2), ItemEvent("added", "s3", "alice"),
                        ItemEvent("added", "t1", "bob")}));
  std::map<std::string, std::string> changes;
  for (int i = 0; i < 3; ++i) {
    const auto message = alice->Next();
    changes[message["item"]["id"]] = message["type"];
  }
  CHECK(changes ==
        std::map<std::string, std::string>{{"s1", "modified"}, {"s2", "deleted"}, {"s3", "added"}});
  changes.clear();
  for (int i = 0; i < 3; ++i) {
    const auto message = admin->Next();
    changes[message["item"]["id"]] = message["type"];
  }
  CHECK(changes.count("t1") == 0);

  stack.Publish({ItemEvent("added", "s4", "alice")});
  CHECK(alice->Next()["item"]["id"] == "s4");
  CHECK(admin->Next()["item"]["id"] == "s4");
  CHECK(stack.Metric("gateway_websocket_clients", kItems) == 2);
  CHECK(stack.Stats().open_watch_streams() == 1);
}

TEST_CASE("a per-client stream is the client's own call, ended by either side", "[follow]") {
  WsStack stack;
  const auto token = stack.Token("alice");
  const std::string base = "/echo/v1/ws/shelves/s1/items/i%2F2";
  auto client =
      WsClient::Bearer(stack.api_port(), base + "?count=3", token, {{"User-Agent", "ws-test/1"}});
  for (int i = 0; i < 3; ++i) {
    const auto message = client->Next();
    CHECK(message["type"] == "line");
    CHECK(message["index"] == i);
    CHECK(message["user"] == "alice");
    CHECK(Json::parse(message["requestJson"].get<std::string>()) ==
          Json::parse(R"({"shelf":"s1","id":"i/2","count":3,"agent":"ws-test/1"})"));
  }
  auto close = client->ReadUntilClose();
  CHECK(close.code == websocket::close_code::normal);

  client = WsClient::Bearer(stack.api_port(), base + "?count=1&failCode=7&failMessage=not%20yours",
                            token);
  CHECK(client->Next()["index"] == 0);
  close = client->ReadUntilClose();
  CHECK(close.code == websocket::close_code::policy_error);
  CHECK(close.reason == "not yours");

  client = WsClient::Bearer(stack.api_port(),
                            base + "?count=1&failCode=13&failMessage=db%20at%2010.0.0.1", token);
  close = client->ReadUntilClose();
  CHECK(close.code == websocket::close_code::internal_error);
  CHECK(close.reason == "internal error");

  client = WsClient::Bearer(stack.api_port(), base, token);
  CHECK(Eventually([&] { return stack.Stats().open_follow_streams() == 1; }));
  CHECK(stack.Metric("gateway_websocket_upstream_streams", kFollowRoute) == 1);
  client->Close();
  CHECK(Eventually([&] { return stack.Stats().open_follow_streams() == 0; }));
  CHECK(Eventually(
      [&] { return stack.Metric("gateway_websocket_upstream_streams", kFollowRoute) == 0; }));

  const auto refused = stack.Api().Send(
      {"GET", base + "?nope=1", UpgradeHeaders({{"Authorization", "Bearer " + token}}), ""});
  CHECK(refused.status == 400);
  CHECK(IsStatusBody(refused, 3));
}

TEST_CASE("pings keep clients alive; a client that never answers is closed", "[ping]") {
  WsStack stack(ss::test::Environment{{"GATEWAY_WS_PING_INTERVAL", "1s"}});
  auto live = WsClient::Bearer(stack.api_port(), kTicks, stack.Token("alice"));
  auto mute = WsClient::Bearer(stack.api_port(), kTicks, stack.Token("bob"));
  CHECK(Eventually([&] { return stack.Metric("gateway_websocket_clients", kTicks) == 2; }));
  CHECK(live->PendingReadUntil([&] { return live->pings() >= 3; }, std::chrono::seconds(30)));
  // The mute client never read, so it never answered a ping.
  CHECK(Eventually([&] { return stack.Metric("gateway_websocket_clients", kTicks) == 1; }));
  echo::PublishRequest request;
  request.add_ticks()->set_type("tick");
  stack.Publish(request);
  CHECK(live->FinishRead()["type"] == "tick");
}

TEST_CASE("a client whose token expires or is revoked is closed with 1008", "[expiry]") {
  WsStack stack;
  auto expiring = WsClient::Bearer(stack.api_port(), kItems,
                                   stack.Token("alice", "user", std::chrono::seconds(3)));
  CHECK(expiring->Next()["type"] == "snapshot");
  auto revoked = WsClient::Bearer(stack.api_port(), kItems, stack.Token("bob"));
  CHECK(revoked->Next()["type"] == "snapshot");
  auto other = WsClient::Bearer(stack.api_port(), kItems, stack.Token("carol"));
  CHECK(other->Next()["type"] == "snapshot");

  auto close = expiring->ReadUntilClose();
  CHECK(close.code == websocket::close_code::policy_error);
  CHECK(close.reason == "token expired");
  stack.auth().RevokeUser("bob");
  close = revoked->ReadUntilClose();
  CHECK(close.code == websocket::close_code::policy_error);
  CHECK(close.reason == "token revoked");
  stack.Publish({ItemEvent("added", "c1", "carol")});
  CHECK(other->Next()["item"]["id"] == "c1");
}

TEST_CASE("SIGTERM closes WebSocket clients with 1001, then the gateway exits 0", "[stop]") {
  WsStack stack;
  const auto token = stack.Token("alice");
  auto shared = WsClient::Bearer(stack.api_port(), kItems, token);
  CHECK(shared->Next()["type"] == "snapshot");
  auto own = WsClient::Bearer(stack.api_port(), "/echo/v1/ws/shelves/s/items/i", token);
  REQUIRE(Eventually([&] { return stack.Stats().open_follow_streams() == 1; }));
  const int status = stack.gateway().Stop(SIGTERM);
  CHECK(shared->ReadUntilClose().code == websocket::close_code::going_away);
  CHECK(own->ReadUntilClose().code == websocket::close_code::going_away);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(Eventually([&] { return stack.Stats().open_follow_streams() == 0; }));
}

TEST_CASE("a browser's upgrade: the sign-in cookie from an allowed Origin, or ?token=",
          "[browser]") {
  WsStack stack(ss::test::Environment{{"CORS_ALLOWED_ORIGINS", "http://localhost:5173"}});
  const auto own = "http://127.0.0.1:" + std::to_string(stack.api_port());
  const auto alice = stack.Token("alice");
  const auto cookie = "theme=dark; streamspace_session=" + alice;

  WsClient browser(stack.api_port(), kItems, {{"Cookie", cookie}, {"Origin", own}});
  CHECK(browser.Next()["type"] == "snapshot");
  WsClient listed(stack.api_port(), kItems,
                  {{"Cookie", cookie}, {"Origin", "http://localhost:5173"}});
  CHECK(listed.Next()["type"] == "snapshot");

  // A foreign page is refused before the upgrade, whatever it presents.
  for (const auto& credential : std::vector<ss::test::Headers>{
           {{"Cookie", cookie}}, {{"Authorization", "Bearer " + alice}}, {}}) {
    auto headers = credential;
    headers["Origin"] = "https://evil.example";
    const auto response = stack.Api().Send({"GET", kItems, UpgradeHeaders(headers), ""});
    CHECK(response.status == 403);
    CHECK(IsStatusBody(response, 7));
  }
  // The cookie alone, without the Origin a browser sends, is no credential.
  auto response = stack.Api().Send({"GET", kItems, UpgradeHeaders({{"Cookie", cookie}}), ""});
  CHECK(response.status == 403);
  response = stack.Api().Send(
      {"GET", kItems, UpgradeHeaders({{"Cookie", "streamspace_session=bad"}, {"Origin", own}}),
       ""});
  CHECK(response.status == 401);

  WsClient by_query(stack.api_port(), std::string(kItems) + "?token=" + alice, {{"Origin", own}});
  CHECK(by_query.Next()["type"] == "snapshot");
  response = stack.Api().Send({"GET", std::string(kItems) + "?token=bad", UpgradeHeaders(), ""});
  CHECK(response.status == 401);
  // On a per-client stream ?token= is the credential, not a request field.
  WsClient follow(stack.api_port(), "/echo/v1/ws/shelves/s/items/i?count=1&token=" + alice, {});
  const auto line = follow.Next();
  CHECK(line["user"] == "alice");
  CHECK(Json::parse(line["requestJson"].get<std::string>()) ==
        Json::parse(R"({"shelf":"s","id":"i","count":1})"));

  // The token is in no log line.
  CHECK(stack.gateway().LogContents().find(alice) == std::string::npos);

  // A revoked token closes the sockets it opened, whichever way it came.
  stack.auth().RevokeUser("alice");
  CHECK(browser.ReadUntilClose().code == websocket::close_code::policy_error);
  CHECK(by_query.ReadUntilClose().code == websocket::close_code::policy_error);
}

TEST_CASE("without the subprotocol, a client gets whole lists at most once a second", "[seed]") {
  WsStack stack({}, Seed({ItemEvent("added", "a1", "alice"), ItemEvent("added", "b1", "bob")}));
  const auto bearer = [&](const std::string& user, const std::string& role = "user") {
    return ss::test::Headers{{"Authorization", "Bearer " + stack.Token(user, role)}};
  };
  WsClient alice(stack.api_port(), kItemLists, bearer("alice"));
  WsClient admin(stack.api_port(), kItemLists, bearer("root", "admin"));
  auto v1_headers = bearer("bob");
  v1_headers["Sec-WebSocket-Protocol"] = "streamspace.v1";
  WsClient bob_v1(stack.api_port(), kItemLists, v1_headers);

  auto list = alice.Next();
  const auto first_list = std::chrono::steady_clock::now();
  CHECK(list == Json::parse(R"({"type":"items_update",
      "items":[{"id":"a1","owner":"alice","payload":"","version":"1"}]})"));
  CHECK(Ids(admin.Next()["items"]) == std::vector<std::string>{"a1", "b1"});
  CHECK(bob_v1.response()[beast::http::field::sec_websocket_protocol] == "streamspace.v1");
  CHECK(Ids(bob_v1.Next()["items"]) == std::vector<std::string>{"b1"});

  // Changes within the second after a list come as one list, when the second is over.
  auto warning = ItemEvent("warning", "a1", "alice");
  warning.set_note("going idle");
  stack.Publish({ItemEvent("added", "a2", "alice"), ItemEvent("modified", "a1", "alice", 2),
                 ItemEvent("added", "b2", "bob"), warning});
  list = alice.Next();
  CHECK(std::chrono::steady_clock::now() - first_list >= std::chrono::milliseconds(900));
  CHECK(list["type"] == "items_update");
  CHECK(Ids(list["items"]) == std::vector<std::string>{"a1", "a2"});
  CHECK(list["items"][0]["version"] == "2");
  CHECK(Ids(admin.Next()["items"]) == std::vector<std::string>{"a1", "a2", "b1", "b2"});
  // The snapshot/delta client is unchanged.
  auto message = bob_v1.Next();
  CHECK((message["type"] == "added" && message["item"]["id"] == "b2"));
  // The warning goes to no seed client, nor does another user's change.
  stack.Publish({ItemEvent("added", "b3", "bob")});
  CHECK(alice.Quiet(std::chrono::milliseconds(1500)));
  CHECK(Ids(admin.Next()["items"]) == std::vector<std::string>{"a1", "a2", "b1", "b2", "b3"});

  // Once the second is over, a change is sent at once.
  const auto published = std::chrono::steady_clock::now();
  stack.Publish({ItemEvent("deleted", "a2", "alice")});
  list = alice.Next();
  CHECK(std::chrono::steady_clock::now() - published < std::chrono::milliseconds(800));
  CHECK(Ids(list["items"]) == std::vector<std::string>{"a1"});
}

TEST_CASE("without the subprotocol, a value stream sends each message's value", "[seed]") {
  WsStack stack;
  const auto token = stack.Token("alice");
  WsClient seed(stack.api_port(), kTickValues, {{"Authorization", "Bearer " + token}});
  WsClient v1(stack.api_port(), kTickValues,
              {{"Authorization", "Bearer " + token}, {"Sec-WebSocket-Protocol", "streamspace.v1"}});
  REQUIRE(Eventually([&] { return stack.Stats().open_tick_streams() == 1; }));
  echo::PublishRequest request;
  request.add_ticks()->set_type("tick");
  request.mutable_ticks(0)->set_payload("line \"one\"");
  stack.Publish(request);
  CHECK(seed.Next() == Json("line \"one\""));
  CHECK(v1.Next() == Json::parse(R"({"type":"tick","sequence":"0","payload":"line \"one\""})"));
  // A joiner gets the last value.
  WsClient late(stack.api_port(), kTickValues, {{"Authorization", "Bearer " + token}});
  CHECK(late.Next() == Json("line \"one\""));

  const std::string follow = "/echo/v1/ws/values/shelves/s/items/i?count=2";
  WsClient lines(stack.api_port(), follow, {{"Authorization", "Bearer " + token}});
  CHECK(lines.Next() == Json("alice"));
  CHECK(lines.Next() == Json("alice"));
  CHECK(lines.ReadUntilClose().code == websocket::close_code::normal);
  WsClient events(
      stack.api_port(), follow,
      {{"Authorization", "Bearer " + token}, {"Sec-WebSocket-Protocol", "streamspace.v1"}});
  CHECK(events.Next()["type"] == "line");
}
