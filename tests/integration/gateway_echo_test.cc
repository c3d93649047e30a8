// The gateway serves a test-only proto (echo.proto, loaded from its descriptor set file) through
// the echo server, with no code of its own for it: every kind of binding (response_body included),
// the gateway's refusals, CORS, request ids, OpenAPI, metrics, the sign-in cookie, the browser
// sign-in options (form bodies, raw queries, redirects, raw responses, the cookie as credential),
// the web UI's files (UI_DIR) and a graceful stop, checked over real sockets.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "http_client.h"
#include "jwt.h"
#include "process.h"

namespace {

using ss::test::HttpClient;
using ss::test::HttpRequest;
using ss::test::HttpResponse;
using ss::test::Process;
using Json = nlohmann::json;

constexpr char kOrigin[] = "https://app.example";

using ss::test::RequiredEnv;

bool Eventually(const std::function<bool()>& probe) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!probe()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// An echo server and a gateway that serves echo.proto from its descriptor set.
class EchoStack {
 public:
  // echo_up = false points the gateway at a port where nothing listens; gateway_env adds to or
  // overrides the gateway's environment.
  explicit EchoStack(bool echo_up = true, ss::test::Environment gateway_env = {})
      : dir_(ss::test::MakeTempDir("ss-gateway-echo-")),
        api_port_(ss::test::FreePort()),
        metrics_port_(ss::test::FreePort()) {
    const int echo_port = ss::test::FreePort();
    // Nothing listens there: no test here depends on the auth service.
    const auto no_auth = "127.0.0.1:" + std::to_string(ss::test::FreePort());
    if (echo_up) {
      echo_ = std::make_unique<Process>(
          ss::test::ProcessOptions{RequiredEnv("ECHO_SERVER_BIN"),
                                   {},
                                   {{"GRPC_ADDR", "127.0.0.1:" + std::to_string(echo_port)},
                                    {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                                    {"AUTH_ADDR", no_auth}},
                                   dir_ / "echo.log",
                                   std::nullopt});
      REQUIRE(echo_->WaitForPort(echo_port));
    }
    ss::test::Environment env = {{"API_ADDRESS", "127.0.0.1"},
                                 {"API_PORT", std::to_string(api_port_)},
                                 {"METRICS_PORT", std::to_string(metrics_port_)},
                                 {"ECHO_ADDR", "127.0.0.1:" + std::to_string(echo_port)},
                                 {"AUTH_ADDR", no_auth},
                                 {"GATEWAY_DESCRIPTOR_SETS", RequiredEnv("ECHO_DESCRIPTOR_SET")},
                                 {"GATEWAY_REQUEST_TIMEOUT", "1s"},
                                 {"CORS_ALLOWED_ORIGINS", kOrigin},
                                 {"LOG_LEVEL", "debug"}};
    for (auto& [name, value] : gateway_env)
      env[name] = std::move(value);
    gateway_ = std::make_unique<Process>(ss::test::ProcessOptions{
        RequiredEnv("GATEWAY_BIN"), {}, std::move(env), dir_ / "gateway.log", std::nullopt});
    REQUIRE(gateway_->WaitForPort(api_port_));
  }

  HttpClient Api() const { return HttpClient("127.0.0.1", api_port_); }
  HttpClient Metrics() const { return HttpClient("127.0.0.1", metrics_port_); }
  int api_port() const { return api_port_; }
  Process& gateway() { return *gateway_; }

 private:
  std::filesystem::path dir_;
  int api_port_;
  int metrics_port_;
  std::unique_ptr<Process> echo_;
  std::unique_ptr<Process> gateway_;
};

// One stack for the test cases that only read from it.
EchoStack& Stack() {
  static EchoStack stack;
  return stack;
}

// What the echo server received: the RPC's name and the request as JSON.
struct Received {
  std::string method;
  Json request;
  Json reply;
};

Received Echoed(const HttpResponse& response) {
  INFO(response.body);
  REQUIRE(response.status == 200);
  const auto reply = response.Json();
  REQUIRE(reply.is_object());
  return {reply["method"], Json::parse(reply["requestJson"].get<std::string>()), reply};
}

HttpResponse Send(std::string method, std::string target, std::string body = "",
                  ss::test::Headers headers = {}) {
  return Stack().Api().Send(
      HttpRequest{std::move(method), std::move(target), std::move(headers), std::move(body)});
}

bool IsStatusBody(const HttpResponse& response, int code) {
  const auto body = response.Json();
  return body.is_object() && body["code"] == code && body["message"].is_string() &&
         body["details"] == Json::array();
}

// Protobuf's JSON writes bytes as standard base64 with padding.
std::string Base64(std::string_view bytes) {
  auto text = ss::test::Base64UrlEncode(bytes);
  for (auto& c : text)
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4 != 0)
    text += '=';
  return text;
}

// A line of the exposition that starts with `prefix` and carries every label.
bool HasSeries(const std::string& exposition, std::string_view prefix,
               std::initializer_list<std::string_view> labels) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0)
      continue;
    bool all = true;
    for (auto label : labels)
      all = all && line.find(label) != std::string::npos;
    if (all)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every binding of the echo proto is served", "[echo]") {
  auto got = Echoed(Send("GET", "/echo/v1/outers/o%2F1/item?view=full"));
  CHECK(got.method == "GetItem");
  CHECK(got.request == Json::parse(R"({"outer":{"inner":{"id":"o/1"}},"view":"full"})"));
  CHECK(got.reply["count"] == "1099511627776");
  CHECK(got.reply["clientAddress"] == "127.0.0.1");
  CHECK(got.reply["authorized"] == false);

  got = Echoed(Send("GET", "/echo/v1/items/shelves/s1/items/i2"));
  CHECK(got.request["outer"]["inner"]["id"] == "shelves/s1/items/i2");
  got = Echoed(Send("DELETE", "/echo/v1/outers/o1/item"));
  CHECK(got.method == "GetItem");

  got = Echoed(Send("GET",
                    "/echo/v1/search?tags=a&tags=b%20c&filter.min=2&color=GREEN&exact=true&"
                    "pageSize=5&since=9007199254740993&archived=true"));
  CHECK(got.method == "Search");
  CHECK(got.request == Json::parse(R"({"tags":["a","b c"],"filter":{"min":2},"color":"GREEN",
      "exact":true,"pageSize":5,"since":"9007199254740993","archived":true})"));

  got = Echoed(Send("GET", "/echo/v1/items/abc"));
  CHECK(got.method == "GetItemById");
  CHECK(got.request == Json{{"id", "abc"}});

  got = Echoed(Send("PUT", "/echo/v1/items/i1?validateOnly=true", R"({"name":"n","size":2})"));
  CHECK(got.method == "UpdateItem");
  CHECK(got.request ==
        Json::parse(R"({"id":"i1","item":{"name":"n","size":2},"validateOnly":true})"));

  got = Echoed(Send("POST", "/echo/v1/items", R"({"item":{"name":"x"},"note":"n"})"));
  CHECK(got.method == "CreateItem");
  CHECK(got.request == Json::parse(R"({"item":{"name":"x"},"note":"n"})"));
  got = Echoed(Send("POST", "/echo/v1/shelves/s9/items", R"({"shelf":"body","note":"n"})"));
  CHECK(got.request == Json::parse(R"({"shelf":"s9","note":"n"})"));

  const std::string raw("{\"signed\": \"bytes\"}\n\x01\xff", 22);
  got = Echoed(Send("POST", "/echo/v1/hooks/git?delivery=d1", raw,
                    {{"Content-Type", "application/octet-stream"},
                     {"X-Hub-Signature-256", "sha256=abc"},
                     {"X-Event", "push"}}));
  CHECK(got.method == "Hook");
  CHECK(got.request == Json({{"source", "git"},
                             {"payload", Base64(raw)},
                             {"signature", "sha256=abc"},
                             {"event", "push"},
                             {"delivery", "d1"}}));

  got = Echoed(Send("GET", "/echo/v1/files/a/b%2Fc/d.txt"));
  CHECK(got.method == "GetFile");
  CHECK(got.request["path"] == "a/b%2Fc/d.txt");
}

TEST_CASE("routes that need a token are refused before any call", "[echo]") {
  // The literal /items/mine (USER) wins over /items/{id} (PUBLIC).
  for (const char* target : {"/echo/v1/items/mine", "/echo/v1/admin/stats", "/echo/v1/internal"}) {
    INFO(target);
    auto response = Send("GET", target);
    CHECK(response.status == 401);
    CHECK(response.Header("www-authenticate") == "Bearer");
    CHECK(IsStatusBody(response, 16));
    response = Send("GET", target, "", {{"Authorization", "Bearer not-a-token-secret-x1"}});
    CHECK(response.status == 401);
    CHECK(IsStatusBody(response, 16));
  }
}

TEST_CASE("the gateway's refusals carry the standard body", "[echo]") {
  auto response = Send("GET", "/echo/v1/nothing/here");
  CHECK(response.status == 404);
  CHECK(IsStatusBody(response, 5));

  response = Send("POST", "/echo/v1/search");
  CHECK(response.status == 405);
  CHECK(response.Header("allow") == "GET");
  CHECK(IsStatusBody(response, 12));
  response = Send("PATCH", "/echo/v1/items/x");
  CHECK(response.status == 405);
  CHECK(response.Header("allow") == "GET, PUT");

  response = Send("POST", "/echo/v1/items", std::string(2 << 20, 'x'));
  CHECK(response.status == 413);
  CHECK(IsStatusBody(response, 8));

  for (const char* body : {R"({"item":)", R"({"unknown":1})", R"({"item":{"size":"big"}})", "[]"}) {
    INFO(body);
    response = Send("POST", "/echo/v1/items", body);
    CHECK(response.status == 400);
    CHECK(IsStatusBody(response, 3));
  }
  for (const char* target : {"/echo/v1/search?nope=1", "/echo/v1/search?pageSize=x",
                             "/echo/v1/search?pageSize=99999999999", "/echo/v1/search?color=PURPLE",
                             "/echo/v1/items/%zz"}) {
    INFO(target);
    response = Send("GET", target);
    CHECK(response.status == 400);
    CHECK(IsStatusBody(response, 3));
  }
}

TEST_CASE("backend statuses map to HTTP statuses", "[echo]") {
  auto fail = [](const std::string& body) { return Send("POST", "/echo/v1/fail", body); };
  auto response = fail(R"({"code":5,"message":"no such thing"})");
  CHECK(response.status == 404);
  CHECK(response.Json()["message"] == "no such thing");
  response = fail(R"({"code":8,"message":"slow down","retryAfterSeconds":7})");
  CHECK(response.status == 429);
  CHECK(response.Header("retry-after") == "7");
  CHECK(IsStatusBody(response, 8));
  response = fail(R"({"code":14,"message":"db at 10.1.2.3 down"})");
  CHECK(response.status == 503);
  CHECK(response.Json()["message"] == "service unavailable");
  response = fail(R"({"code":16,"message":"expired"})");
  CHECK(response.status == 401);
  CHECK(response.Header("www-authenticate") == "Bearer");
  response = fail(R"({"code":6})");
  CHECK(response.status == 409);
  response = fail(R"({"code":0,"sleepMs":1500})");
  CHECK(response.status == 504);
  CHECK(IsStatusBody(response, 4));
}

TEST_CASE("CORS preflight and headers", "[echo]") {
  auto response = Send("OPTIONS", "/echo/v1/items/x", "",
                       {{"Origin", kOrigin},
                        {"Access-Control-Request-Method", "PUT"},
                        {"Access-Control-Request-Headers", "authorization, content-type"}});
  CHECK(response.status == 204);
  CHECK(response.Header("access-control-allow-origin") == kOrigin);
  CHECK(response.Header("access-control-allow-methods") == "GET, PUT");
  CHECK(response.Header("access-control-allow-headers") == "authorization, content-type");
  CHECK(response.Header("access-control-max-age") == "600");
  // The web UI sends its requests withCredentials.
  CHECK(response.Header("access-control-allow-credentials") == "true");

  response = Send("OPTIONS", "/echo/v1/items/x", "",
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "PUT"}});
  CHECK(response.status == 405);
  CHECK(response.Header("access-control-allow-origin").empty());

  response = Send("GET", "/echo/v1/items/x", "", {{"Origin", kOrigin}});
  CHECK(response.Header("access-control-allow-origin") == kOrigin);
  CHECK(response.Header("vary") == "Origin");
  CHECK(response.Header("access-control-allow-credentials") == "true");
  response = Send("GET", "/echo/v1/items/x");
  CHECK(response.Header("access-control-allow-origin").empty());
}

TEST_CASE("X-Request-Id in, out and to the backend", "[echo]") {
  auto response = Send("GET", "/echo/v1/items/x", "", {{"X-Request-Id", "req.42_a-b"}});
  CHECK(response.Header("x-request-id") == "req.42_a-b");
  CHECK(Echoed(response).reply["requestId"] == "req.42_a-b");

  response = Send("GET", "/echo/v1/items/x", "", {{"X-Request-Id", "bad id with spaces"}});
  const auto replaced = response.Header("x-request-id");
  CHECK(replaced.size() == 16);
  CHECK(Echoed(response).reply["requestId"] == replaced);
  CHECK(Send("GET", "/nowhere", "", {{"X-Request-Id", std::string(65, 'a')}})
            .Header("x-request-id")
            .size() == 16);
}

TEST_CASE("/openapi.json lists every route, /health and /version answer", "[echo]") {
  const auto document = Send("GET", "/openapi.json").Json();
  REQUIRE(document.is_object());
  const std::pair<const char*, const char*> routes[] = {
      {"get", "/echo/v1/outers/{outer.inner.id}/item"},
      {"delete", "/echo/v1/outers/{outer.inner.id}/item"},
      {"get", "/echo/v1/items/{outer.inner.id}"},
      {"get", "/echo/v1/search"},
      {"get", "/echo/v1/items/{id}"},
      {"put", "/echo/v1/items/{id}"},
      {"get", "/echo/v1/items/mine"},
      {"post", "/echo/v1/items"},
      {"post", "/echo/v1/shelves/{shelf}/items"},
      {"post", "/echo/v1/hooks/{source}"},
      {"get", "/echo/v1/files/{path}"},
      {"get", "/echo/v1/admin/stats"},
      {"get", "/echo/v1/internal"},
      {"post", "/echo/v1/fail"},
      {"get", "/health"},
      {"get", "/livez"},
      {"get", "/readyz"},
      {"get", "/version"},
      {"get", "/openapi.json"}};
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    CHECK(document["paths"][path].contains(method));
  }
  CHECK(document["paths"]["/echo/v1/search"]["get"]["security"] == Json::array());

  const auto health = Send("GET", "/health");
  // auth is not running in this test: the gateway reports it.
  CHECK(health.status == 503);
  CHECK(Eventually([] { return Send("GET", "/health").Json()["backends"]["echo"] == "SERVING"; }));
  CHECK(Send("GET", "/health").Json()["backends"]["auth"] == "NOT_SERVING");
  CHECK(Send("GET", "/version").Json()["version"].is_string());
  CHECK(Send("POST", "/health").status == 405);
}

TEST_CASE("/metrics is served on the internal port only", "[echo]") {
  Send("GET", "/echo/v1/search?tags=m");
  auto response = Send("GET", "/metrics");
  CHECK(response.status == 404);
  response = Stack().Metrics().Get("/metrics");
  REQUIRE(response.status == 200);
  CHECK(HasSeries(response.body, "http_requests_total{",
                  {R"(route="/echo/v1/search")", R"(method="GET")", R"(code="200")"}));
  CHECK(HasSeries(response.body, "http_request_duration_seconds_count{",
                  {R"(route="/echo/v1/search")", R"(method="GET")"}));
  CHECK(
      HasSeries(response.body, "http_requests_total{", {R"(route="unmatched")", R"(code="404")"}));
}

TEST_CASE("keep-alive serves several requests on one connection", "[echo]") {
  HttpClient client("127.0.0.1", Stack().api_port(), true);
  for (int i = 0; i < 3; ++i) {
    CHECK(client.Get("/echo/v1/items/k" + std::to_string(i)).status == 200);
  }
  CHECK(client.Get("/nowhere").status == 404);
  CHECK(client.Get("/echo/v1/items/k9").status == 200);
}

TEST_CASE("no token or header value reaches the log", "[echo]") {
  Send("GET", "/echo/v1/admin/stats", "", {{"Authorization", "Bearer secret-token-abc123"}});
  Send("POST", "/echo/v1/hooks/git", "payload", {{"X-Hub-Signature-256", "sha256=hidden42"}});
  const auto log = Stack().gateway().LogContents();
  CHECK(log.find("GET /echo/v1/admin/stats 401") != std::string::npos);
  CHECK(log.find("secret-token-abc123") == std::string::npos);
  CHECK(log.find("sha256=hidden42") == std::string::npos);
  CHECK(log.find("tags=m") == std::string::npos);
}

TEST_CASE("a backend that is down answers 503", "[echo-down]") {
  EchoStack stack(false);
  const auto response = stack.Api().Get("/echo/v1/items/x");
  CHECK(response.status == 503);
  CHECK(IsStatusBody(response, 14));
  CHECK(response.Json()["message"] == "service unavailable");
  // The gateway stays alive and in rotation: the probes do not depend on its backends.
  CHECK(stack.Api().Get("/livez").status == 200);
  CHECK(stack.Api().Get("/readyz").status == 200);
  CHECK(stack.Api().Get("/health").status == 503);
}

TEST_CASE("calls past the per-backend limit wait their turn instead of failing", "[echo-queue]") {
  EchoStack stack(true, {{"GATEWAY_BACKEND_CONCURRENCY", "1"}});
  std::vector<std::future<ss::test::HttpResponse>> calls;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      return stack.Api().Post("/echo/v1/fail", R"({"code":0,"sleepMs":150})");
    }));
  }
  for (auto& call : calls)
    CHECK(call.get().status == 200);
  // They ran one after the other: together no sooner than four sleeps end to end.
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(600));
}

TEST_CASE("SIGTERM lets a request in flight finish, then exits 0", "[echo-drain]") {
  EchoStack stack;
  auto slow = std::async(std::launch::async, [&] {
    return stack.Api().Post("/echo/v1/fail", R"({"code":0,"sleepMs":700})");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int status = stack.gateway().Stop(SIGTERM);
  CHECK(slow.get().status == 200);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE(
    "SIGTERM turns /readyz to 503 while /livez and the routes go on serving for "
    "GATEWAY_SHUTDOWN_DELAY",
    "[echo-drain]") {
  EchoStack stack(true, {{"GATEWAY_SHUTDOWN_DELAY", "2s"}});
  auto ready = stack.Api().Get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.Json()["status"] == "ready");
  REQUIRE(kill(stack.gateway().pid(), SIGTERM) == 0);
  CHECK(Eventually([&] { return stack.Api().Get("/readyz").status == 503; }));
  CHECK(stack.Api().Get("/readyz").Json()["status"] == "draining");
  CHECK(stack.Api().Get("/livez").status == 200);
  CHECK(stack.Api().Get("/echo/v1/items/x").status == 200);
  const int status = stack.gateway().Stop(SIGTERM);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("response_body answers one field of the response", "[echo]") {
  auto response = Send("GET", "/echo/v1/lists/s?count=2");
  REQUIRE(response.status == 200);
  CHECK(response.Json() == Json::parse(R"([{"name":"s-0","size":0,"labels":[]},
                                           {"name":"s-1","size":1,"labels":[]}])"));
  CHECK(Send("GET", "/echo/v1/lists/s").Json() == Json::array());
  CHECK(Send("GET", "/echo/v1/lists/s/first?count=1").Json() ==
        Json::parse(R"({"name":"s-0","size":0,"labels":[]})"));
  CHECK(Send("GET", "/echo/v1/lists/s/first").Json() == nullptr);
  CHECK(Send("GET", "/echo/v1/lists/s/whole?count=1").Json() ==
        Json::parse(R"({"items":[{"name":"s-0","size":0,"labels":[]}],
                        "first":{"name":"s-0","size":0,"labels":[]},"shelf":"s"})"));

  const auto document = Send("GET", "/openapi.json").Json();
  const auto& ok = document["paths"]["/echo/v1/lists/{shelf}"]["get"]["responses"]["200"];
  CHECK(ok["content"]["application/json"]["schema"] == Json::parse(R"({"type":"array",
                        "items":{"$ref":"#/components/schemas/streamspace.testing.v1.Item"}})"));
}

TEST_CASE("/api/v1/health and /api/v1/version answer as /health and /version", "[echo]") {
  CHECK(Send("GET", "/api/v1/version").body == Send("GET", "/version").body);
  CHECK(Eventually(
      [] { return Send("GET", "/api/v1/health").Json()["backends"]["echo"] == "SERVING"; }));
  CHECK(Send("GET", "/api/v1/health").status == Send("GET", "/health").status);
  const auto document = Send("GET", "/openapi.json").Json();
  CHECK(document["paths"]["/api/v1/health"].contains("get"));
  CHECK(document["paths"]["/api/v1/version"].contains("get"));
}

TEST_CASE("session_cookie sets the sign-in cookie on success and clears it", "[echo]") {
  const std::string expires = "2099-01-02T03:04:05Z";
  auto response =
      Send("POST", "/echo/v1/signin", R"({"token":"tok.en-1","expiresAt":")" + expires + R"("})");
  REQUIRE(response.status == 200);
  const auto cookie = response.Header("set-cookie");
  CHECK(cookie.rfind("streamspace_session=tok.en-1; Path=/; Expires=Fri, 02 Jan 2099 03:04:05 GMT; "
                     "Max-Age=",
                     0) == 0);
  CHECK(cookie.find("; HttpOnly; SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);
  CHECK(cookie.find("Domain") == std::string::npos);

  // Behind a TLS proxy the cookie is Secure.
  response = Send("POST", "/echo/v1/signin", R"({"token":"t2"})", {{"X-Forwarded-Proto", "https"}});
  CHECK(response.Header("set-cookie") ==
        "streamspace_session=t2; Path=/; HttpOnly; SameSite=Strict; Secure");

  response = Send("POST", "/echo/v1/signin", R"({"token":"t3","failCode":16})");
  CHECK(response.status == 401);
  CHECK(response.Header("set-cookie").empty());

  response = Send("POST", "/echo/v1/signout", "{}");
  CHECK(response.status == 200);
  CHECK(response.Header("set-cookie") ==
        "streamspace_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; "
        "SameSite=Strict");
  CHECK(Send("POST", "/echo/v1/signout", R"({"failCode":7})").Header("set-cookie").empty());
  CHECK(Send("GET", "/echo/v1/items/x").Header("set-cookie").empty());
}

TEST_CASE("the sign-in cookie never authenticates a REST call", "[echo]") {
  const auto response =
      Send("GET", "/echo/v1/items/mine", "", {{"Cookie", "streamspace_session=anything"}});
  CHECK(response.status == 401);
  CHECK(IsStatusBody(response, 16));
}

TEST_CASE("UI_DIR serves the web UI's files, and nothing outside them", "[echo-ui]") {
  namespace fs = std::filesystem;
  const ss::test::TempDir dir("ss-gateway-ui-");
  const auto& root = dir.path();
  const auto write = [](const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  };
  write(root / "ui" / "index.html", "<html>index</html>");
  write(root / "ui" / "assets" / "app-1a2b.js", "console.log(1)");
  write(root / "ui" / "assets" / "style-3c4d.css", "body{}");
  write(root / "ui" / "favicon.ico", std::string("\0\1ico", 5));
  write(root / "ui" / "docs" / "guide.txt", "guide");
  write(root / "secret.txt", "outside");
  fs::create_symlink(root / "secret.txt", root / "ui" / "leak.txt");
  fs::create_directory_symlink(root, root / "ui" / "up");

  EchoStack stack(true, {{"UI_DIR", (root / "ui").string()},
                         {"SESSION_COOKIE_NAME", "sid"},
                         {"SESSION_COOKIE_DOMAIN", "example.test"},
                         {"SESSION_COOKIE_PATH", "/app"},
                         {"SESSION_COOKIE_SECURE", "always"}});
  auto api = [&](const std::string& method, const std::string& target) {
    return stack.Api().Send(HttpRequest{method, target, {}, ""});
  };

  for (const char* page : {"/", "/index.html", "/sessions", "/admin/nodes/n1", "/docs"}) {
    INFO(page);
    const auto response = api("GET", page);
    CHECK(response.status == 200);
    CHECK(response.body == "<html>index</html>");
    CHECK(response.Header("content-type") == "text/html; charset=utf-8");
    CHECK(response.Header("cache-control") == "no-cache");
  }
  auto response = api("GET", "/assets/app-1a2b.js");
  CHECK(response.status == 200);
  CHECK(response.body == "console.log(1)");
  CHECK(response.Header("content-type") == "text/javascript; charset=utf-8");
  CHECK(response.Header("cache-control") == "public, max-age=31536000, immutable");
  CHECK(api("GET", "/assets/style-3c4d.css").Header("content-type") == "text/css; charset=utf-8");
  response = api("GET", "/favicon.ico");
  CHECK(response.body == std::string("\0\1ico", 5));
  CHECK(response.Header("content-type") == "image/x-icon");
  CHECK(api("GET", "/docs/guide.txt").body == "guide");

  response = api("HEAD", "/assets/app-1a2b.js");
  CHECK(response.status == 200);
  CHECK(response.Header("content-length") == "14");
  CHECK(response.body.empty());

  // Unknown files outside assets/, symlinks out of the folder among them, get the page.
  for (const char* target : {"/missing.png", "/vite.svg", "/leak.txt", "/up/secret.txt"}) {
    INFO(target);
    response = api("GET", target);
    CHECK(response.status == 200);
    CHECK(response.body == "<html>index</html>");
  }
  // Missing assets, escapes and API paths are JSON 404s, never index.html.
  for (const char* target :
       {"/assets/gone-9z.js", "/assets/", "/../secret.txt", "/%2e%2e/secret.txt",
        "/docs/%2E%2E/%2E%2E/secret.txt", "/x%00.js", "/api/v1/nothing", "/webhooks/none",
        "/.well-known/none", "/assets/..%2f..%2fsecret.txt"}) {
    INFO(target);
    response = api("GET", target);
    CHECK(response.status == 404);
    CHECK(IsStatusBody(response, 5));
    CHECK(response.body.find("outside") == std::string::npos);
  }
  CHECK(api("POST", "/sessions").status == 404);
  // The API is still the API.
  CHECK(api("GET", "/echo/v1/items/abc").Json()["method"] == "GetItemById");
  CHECK(api("GET", "/api/v1/version").Json()["version"].is_string());

  // The cookie settings.
  response = stack.Api().Send(HttpRequest{"POST", "/echo/v1/signin", {}, R"({"token":"t"})"});
  CHECK(response.Header("set-cookie") ==
        "sid=t; Path=/app; Domain=example.test; HttpOnly; SameSite=Strict; Secure");
}

TEST_CASE("form_body: an HTML form fills fields by JSON name, as a query does", "[echo]") {
  const ss::test::Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}};
  auto got = Echoed(Send("POST", "/echo/v1/forms",
                         "SAMLResponse=PHNhbWw%2B%3D%3D&RelayState=%2Fsessions%3Fa%3D1+b&count=3&"
                         "tags=a&tags=b+c&filter.min=2",
                         form));
  CHECK(got.method == "PostForm");
  CHECK(got.request == Json::parse(R"({"SAMLResponse":"PHNhbWw+==","RelayState":"/sessions?a=1 b",
      "count":3,"tags":["a","b c"],"filter":{"min":2}})"));
  got = Echoed(Send("POST", "/echo/v1/forms", "RelayState=x",
                    {{"Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"}}));
  CHECK(got.request == Json{{"RelayState", "x"}});
  CHECK(Echoed(Send("POST", "/echo/v1/forms")).request == Json::object());

  for (const auto& [body, message] : std::initializer_list<std::pair<const char*, const char*>>{
           {"nope=1", "unknown form field 'nope'"},
           {"count=%zz", "malformed form body"},
           {"count=x", nullptr}}) {
    INFO(body);
    const auto response = Send("POST", "/echo/v1/forms", body, form);
    CHECK(response.status == 400);
    CHECK(IsStatusBody(response, 3));
    if (message != nullptr)
      CHECK(response.Json()["message"] == message);
  }
  auto response = Send("POST", "/echo/v1/forms?count=1", "", form);
  CHECK(response.status == 400);
  CHECK(response.Json()["message"] == "unknown query parameter 'count'");
  // Not a form: 415, whatever the body.
  for (const auto& headers :
       {ss::test::Headers{{"Content-Type", "application/json"}}, ss::test::Headers{}}) {
    response = Send("POST", "/echo/v1/forms", R"({"RelayState":"x"})", headers);
    CHECK(response.status == 415);
    CHECK(IsStatusBody(response, 3));
  }
}

TEST_CASE("raw_query: the query string as received, and no parameter bound", "[echo]") {
  const std::string query =
      "SAMLRequest=fZJd%2B%3D&RelayState=x+y&SigAlg=http%3A%2F%2Fwww.w3.org&Signature=ab%2Bc";
  auto got = Echoed(Send("GET", "/echo/v1/raw-query/r1?" + query));
  CHECK(got.method == "GetRawQuery");
  CHECK(got.request == Json({{"id", "r1"}, {"query", query}}));
  CHECK(Echoed(Send("GET", "/echo/v1/raw-query/r1")).request == Json{{"id", "r1"}});
}

TEST_CASE("redirect: a location answers 302 or 303, a page's fetch gets the JSON", "[echo]") {
  auto response = Send("GET", "/echo/v1/go?location=https%3A%2F%2Fidp.example%2Fsso%3Fx%3D1");
  CHECK(response.status == 302);
  CHECK(response.Header("location") == "https://idp.example/sso?x=1");
  CHECK(response.Header("cache-control") == "no-store");
  CHECK(response.body.empty());
  response = Send("GET", "/echo/v1/go?location=%2Fsessions", "",
                  {{"Accept", "text/html,application/xhtml+xml,application/json;q=0.9"}});
  CHECK(response.status == 302);
  CHECK(response.Header("location") == "/sessions");

  // json_when_accepted: Accept names application/json and not text/html.
  response = Send("GET", "/echo/v1/go?location=%2Fsessions", "",
                  {{"Accept", "application/json, text/plain, */*"}});
  CHECK(response.status == 200);
  CHECK(response.Header("location").empty());
  CHECK(response.Json() == Json::parse(R"({"location":"/sessions","token":"","expiresAt":""})"));
  // No location: the JSON.
  response = Send("GET", "/echo/v1/go");
  CHECK(response.status == 200);
  CHECK(response.Json()["location"] == "");
  response = Send("GET", "/echo/v1/go?location=%2Fx&failCode=9");
  CHECK(response.status == 400);
  CHECK(IsStatusBody(response, 9));
  CHECK(response.Header("location").empty());
  // A location that would break the header block is the backend's fault.
  response = Send("GET", "/echo/v1/go?location=%2Fa%0D%0ASet-Cookie%3A+x%3Dy");
  CHECK(response.status == 500);
  CHECK(response.Header("set-cookie").empty());
}

TEST_CASE("redirect with session_cookie: the cookie on a 303, no token in the body", "[echo]") {
  const ss::test::Headers form = {{"Content-Type", "application/x-www-form-urlencoded"},
                                  {"Accept", "application/json"}};
  auto response =
      Send("POST", "/echo/v1/signin/finish",
           "location=%2Fsessions&token=tok-secret-9&expiresAt=2099-01-02T03%3A04%3A05Z", form);
  CHECK(response.status == 303);
  CHECK(response.Header("location") == "/sessions");
  CHECK(response.Header("cache-control") == "no-store");
  CHECK(response.Header("set-cookie")
            .rfind("streamspace_session=tok-secret-9; Path=/; Expires=", 0) == 0);
  CHECK(response.body.empty());
  response = Send("POST", "/echo/v1/signin/finish", "location=%2F&token=t&failCode=16", form);
  CHECK(response.status == 401);
  CHECK(response.Header("set-cookie").empty());
  CHECK(response.Header("location").empty());
  CHECK(Stack().gateway().LogContents().find("tok-secret-9") == std::string::npos);
}

TEST_CASE("raw_response: one field's bytes with the declared Content-Type", "[echo]") {
  const auto response = Send("GET", "/echo/v1/document?text=%3CEntityDescriptor%2F%3E%0A");
  CHECK(response.status == 200);
  CHECK(response.Header("content-type") == "application/samlmetadata+xml");
  CHECK(response.Header("x-content-type-options") == "nosniff");
  CHECK(response.body == "<EntityDescriptor/>\n");
}

TEST_CASE("cookie_credential: the sign-in cookie with an allowed Origin is the token", "[echo]") {
  const std::string cookie = "streamspace_session=cookie-tok-1";
  auto got =
      Echoed(Send("POST", "/echo/v1/credential", "", {{"Cookie", cookie}, {"Origin", kOrigin}}));
  CHECK(got.method == "GetCredential");
  CHECK(got.reply["token"] == "cookie-tok-1");
  // The gateway's own origin.
  const auto own = "http://127.0.0.1:" + std::to_string(Stack().api_port());
  CHECK(Echoed(Send("POST", "/echo/v1/credential", "", {{"Cookie", cookie}, {"Origin", own}}))
            .reply["token"] == "cookie-tok-1");
  // The Authorization header wins, and needs no Origin.
  got = Echoed(Send("POST", "/echo/v1/credential", "",
                    {{"Cookie", cookie}, {"Authorization", "Bearer header-tok"}}));
  CHECK(got.reply["token"] == "header-tok");
  CHECK(Echoed(Send("POST", "/echo/v1/credential")).reply["authorized"] == false);

  auto response = Send("POST", "/echo/v1/credential", "", {{"Cookie", cookie}});
  CHECK(response.status == 403);
  CHECK(IsStatusBody(response, 7));
  CHECK(response.Json()["message"] == "the sign-in cookie needs an Origin");
  response = Send("POST", "/echo/v1/credential", "",
                  {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
  CHECK(response.status == 403);
  CHECK(IsStatusBody(response, 7));
  CHECK(response.Json()["message"] == "origin not allowed");

  // Any other route ignores the cookie.
  got = Echoed(Send("GET", "/echo/v1/items/x", "", {{"Cookie", cookie}, {"Origin", kOrigin}}));
  CHECK(got.reply["authorized"] == false);
  CHECK(Stack().gateway().LogContents().find("cookie-tok-1") == std::string::npos);
}

TEST_CASE("OpenAPI shows forms, redirects and raw responses", "[echo]") {
  const auto document = Send("GET", "/openapi.json").Json();
  const auto& paths = document["paths"];
  CHECK(paths["/echo/v1/forms"]["post"]["requestBody"]["content"].contains(
      "application/x-www-form-urlencoded"));
  const auto& go = paths["/echo/v1/go"]["get"]["responses"];
  CHECK(go["302"]["headers"].contains("Location"));
  CHECK(go["200"]["content"].contains("application/json"));
  CHECK(paths["/echo/v1/signin/finish"]["post"]["responses"].contains("303"));
  CHECK(paths["/echo/v1/document"]["get"]["responses"]["200"]["content"].contains(
      "application/samlmetadata+xml"));
  // The raw query is no parameter of its own.
  CHECK(paths["/echo/v1/raw-query/{id}"]["get"]["parameters"].size() == 1);
}
