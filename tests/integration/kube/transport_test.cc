// What a scripted server shows about the transports: Retry-After on 429/503 (bounded), watch
// events split across reads, a timeout on every non-streaming call, connection reuse.
#include <catch2/catch.hpp>

#include "fake_server.h"
#include "kube/client.h"
#include "kube/watcher.h"

namespace ss::kube::testing {
namespace {

using nlohmann::json;
using tcp = boost::asio::ip::tcp;

const std::string kNode = R"({"kind":"Node","apiVersion":"v1","metadata":{"name":"n1"}})";

std::string StatusBody(int code, const std::string& reason) {
  return json{{"kind", "Status"},       {"apiVersion", "v1"}, {"status", "Failure"},
              {"message", "try later"}, {"reason", reason},   {"code", code}}
      .dump();
}

bool WaitForRequests(const FakeServer& server, int count) {
  for (int i = 0; i < 500 && server.requests() < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return server.requests() >= count;
}

ClientPtr ClientFor(const FakeServer& server) {
  Config config;
  config.server = server.url();
  config.token = "t";
  config.request_timeout = std::chrono::milliseconds(500);
  return MakeClient(config);
}

}  // namespace

TEST_CASE("429 and 503 with Retry-After are retried, a bounded number of times", "[transport]") {
  FakeServer server([](const FakeRequest& request, tcp::socket& socket) {
    if (request.sequence < 2) {
      FakeServer::Write(
          socket, FakeServer::Answer(request.sequence == 0 ? 429 : 503,
                                     StatusBody(429, "TooManyRequests"), "Retry-After: 1\r\n"));
    } else {
      FakeServer::Write(socket, FakeServer::Answer(200, kNode));
    }
  });
  auto client = ClientFor(server);
  const auto started = std::chrono::steady_clock::now();
  auto node = client->Get(resources::kNodes, "", "n1");
  REQUIRE(node.ok());
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(1900));
  CHECK(server.requests() == 3);

  FakeServer always_busy([](const FakeRequest&, tcp::socket& socket) {
    FakeServer::Write(socket, FakeServer::Answer(503, StatusBody(503, "ServiceUnavailable"),
                                                 "Retry-After: 0\r\n"));
  });
  auto busy = ClientFor(always_busy)->Get(resources::kNodes, "", "n1");
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().http_status == 503);
  CHECK(always_busy.requests() == 4);  // the call and Config::max_retries (3) retries

  FakeServer budget([](const FakeRequest&, tcp::socket& socket) {
    FakeServer::Write(
        socket, FakeServer::Answer(429, StatusBody(429, "TooManyRequests"), "Retry-After: 0\r\n"));
  });
  auto eviction = ClientFor(budget)->Evict("default", "p1");
  CHECK(eviction.error().IsTooManyRequests());
  CHECK(budget.requests() == 1);  // an eviction's 429 goes back to the caller at once
}

TEST_CASE("watch events split across reads are put back together", "[transport]") {
  const std::string first =
      R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}})";
  const std::string second =
      R"({"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"6"}}})";
  const std::string third = R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}})";
  FakeServer server([&](const FakeRequest&, tcp::socket& socket) {
    FakeServer::Write(socket,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
    const std::string all = first + "\n" + second + "\n" + third + "\n";
    // Pieces that cut an event in half, a chunk holding the end of one and the start of the next.
    for (const auto& piece : {all.substr(0, 10), all.substr(10, 60), all.substr(70, first.size()),
                              all.substr(70 + first.size())}) {
      FakeServer::Write(socket, FakeServer::Chunk(piece));
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    FakeServer::Write(socket, "0\r\n\r\n");
  });
  auto client = ClientFor(server);
  std::vector<std::string> seen;
  auto result = client->Watch(resources::kPods, "default", {}, [&](WatchEvent& event) {
    seen.push_back(std::to_string(static_cast<int>(event.type)) + " " +
                   event.object["metadata"].value("resourceVersion", ""));
    return true;
  });
  REQUIRE(result.ok());
  CHECK(seen == std::vector<std::string>{"0 5", "1 6", "3 7"});
}

TEST_CASE("a non-streaming call times out; connections are reused", "[transport]") {
  FakeServer silent([](const FakeRequest&, tcp::socket&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });
  const auto started = std::chrono::steady_clock::now();
  auto late = ClientFor(silent)->Get(resources::kNodes, "", "n1");
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().IsTimeout());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1400));

  FakeServer counting([](const FakeRequest&, tcp::socket& socket) {
    FakeServer::Write(socket, FakeServer::Answer(200, kNode));
  });
  auto client = ClientFor(counting);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(client->Get(resources::kNodes, "", "n1").ok());
  }
  CHECK(counting.requests() == 10);
  // cpprestsdk hands a connection back to its pool asynchronously, so a request that follows
  // at once may open a second one; most must reuse.
  CHECK(counting.connections() <= 3);
}

TEST_CASE("Stop() interrupts a list the server is slow to answer", "[transport]") {
  FakeServer slow([](const FakeRequest&, tcp::socket&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });
  Config config;
  config.server = slow.url();
  config.request_timeout = std::chrono::seconds(10);
  auto client = MakeClient(config);
  struct Ignore final : WatchHandler {
    void OnEvent(WatchEventType, const json&) override {}
  } handler;
  Watcher watcher(*client, resources::kSessions, {}, handler);
  watcher.Start();
  REQUIRE(WaitForRequests(slow, 1));
  const auto started = std::chrono::steady_clock::now();
  watcher.Stop();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));
}

}  // namespace ss::kube::testing
