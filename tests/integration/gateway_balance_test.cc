// The gateway balances one backend over the replicas its name resolves to (issue 18): echo
// servers on 127.0.0.2, .3, .4 ... at one port, one DNS name for them all, served by
// tests/support/dns_responder.py, which the test rewrites to add a replica. The services end
// connections after GRPC_MAX_CONNECTION_AGE, so the gateway resolves the name again and finds
// replicas added since.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "http_client.h"
#include "process.h"

namespace {

using ss::test::HttpClient;
using ss::test::HttpResponse;
using ss::test::Process;
using ss::test::ProcessOptions;
using ss::test::RequiredEnv;
using namespace std::chrono_literals;

constexpr char kName[] = "echo.test";

bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!probe()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

bool Accepts(const std::string& ip, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
  const bool connected =
      connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

// Echo replicas at one port on several loopback addresses, the DNS name for them, and a gateway
// that dials the name through the responder.
class ReplicaStack {
 public:
  ReplicaStack()
      : dir_("ss-gateway-balance-"), port_(ss::test::FreePort()), api_port_(ss::test::FreePort()) {
    WriteHosts();
    dns_ =
        std::make_unique<Process>(ProcessOptions{RequiredEnv("DNS_RESPONDER"),
                                                 {"--hosts", (dir_.path() / "hosts.json").string()},
                                                 {},
                                                 dir_.path() / "dns.log",
                                                 std::nullopt});
    int dns_port = 0;
    REQUIRE(Eventually(
        [&] {
          const std::string log = dns_->LogContents();
          const auto at = log.find("ready on port ");
          if (at == std::string::npos)
            return false;
          dns_port = std::stoi(log.substr(at + 14));
          return true;
        },
        10s));
    const std::string no_auth = "127.0.0.1:" + std::to_string(ss::test::FreePort());
    gateway_ = std::make_unique<Process>(
        ProcessOptions{RequiredEnv("GATEWAY_BIN"),
                       {},
                       {{"API_ADDRESS", "127.0.0.1"},
                        {"API_PORT", std::to_string(api_port_)},
                        {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                        {"ECHO_ADDR", "dns://127.0.0.1:" + std::to_string(dns_port) + "/" + kName +
                                          ":" + std::to_string(port_)},
                        {"AUTH_ADDR", no_auth},
                        {"GATEWAY_DESCRIPTOR_SETS", RequiredEnv("ECHO_DESCRIPTOR_SET")},
                        {"GATEWAY_REQUEST_TIMEOUT", "5s"}},
                       dir_.path() / "gateway.log",
                       std::nullopt});
    REQUIRE(gateway_->WaitForPort(api_port_));
  }

  // Starts replica `name` on 127.0.0.<host> and publishes it under the name.
  void AddReplica(int host) {
    const std::string ip = "127.0.0." + std::to_string(host);
    const std::string name = "r" + std::to_string(host);
    replicas_[name] = std::make_unique<Process>(
        ProcessOptions{RequiredEnv("ECHO_SERVER_BIN"),
                       {},
                       {{"GRPC_ADDR", ip + ":" + std::to_string(port_)},
                        {"GRPC_MAX_CONNECTION_AGE", "1s"},
                        {"ECHO_REPLICA", name},
                        {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                        {"AUTH_ADDR", "127.0.0.1:" + std::to_string(ss::test::FreePort())}},
                       dir_.path() / (name + ".log"),
                       std::nullopt});
    REQUIRE(Eventually([&] { return Accepts(ip, port_); }, 20s));
    ips_.push_back(ip);
    WriteHosts();
  }

  Process& replica(const std::string& name) { return *replicas_.at(name); }
  HttpClient Api() const { return HttpClient("127.0.0.1", api_port_, /*keep_alive=*/true); }

 private:
  void WriteHosts() {
    const auto path = dir_.path() / "hosts.json";
    std::ofstream(path.string() + ".new") << nlohmann::json{{kName, ips_}}.dump();
    std::filesystem::rename(path.string() + ".new", path);
  }

  ss::test::TempDir dir_;
  int port_;
  int api_port_;
  std::vector<std::string> ips_;
  std::unique_ptr<Process> dns_;
  std::map<std::string, std::unique_ptr<Process>> replicas_;
  std::unique_ptr<Process> gateway_;
};

// Which replica answered a read (GET) or a change (POST) through the gateway; "" when the call
// failed.
std::string Replica(HttpClient& api, HttpResponse* failure = nullptr, bool change = false) {
  const HttpResponse response = change ? api.Post("/echo/v1/items", R"({"note":"balance"})")
                                       : api.Get("/echo/v1/items/balance");
  if (response.status != 200) {
    if (failure != nullptr)
      *failure = response;
    return "";
  }
  return response.Json().value("replica", "");
}

// Clients calling through the gateway in a loop until Stop (reads, or with `change` POSTs),
// counting what fails.
class Load {
 public:
  Load(const ReplicaStack& stack, int clients, bool change = false) {
    for (int i = 0; i < clients; ++i) {
      threads_.emplace_back([this, &stack, change] {
        HttpClient client = stack.Api();
        while (running_) {
          HttpResponse failure;
          if (Replica(client, &failure, change).empty()) {
            {
              const std::lock_guard lock(mutex_);
              last_failure_ = std::to_string(failure.status) + " " + failure.body;
            }
            ++failed_;
            if (failure.status != 503)
              ++not_503_;
          }
          ++calls_;
        }
      });
    }
  }
  ~Load() { Stop(); }

  void Stop() {
    running_ = false;
    for (auto& thread : threads_) {
      if (thread.joinable())
        thread.join();
    }
  }
  int calls() const { return calls_; }
  int failed() const { return failed_; }
  int not_503() const { return not_503_; }
  std::string last_failure() {
    const std::lock_guard lock(mutex_);
    return last_failure_;
  }

 private:
  std::atomic<bool> running_{true};
  std::atomic<int> calls_{0};
  std::atomic<int> failed_{0};
  std::atomic<int> not_503_{0};
  std::mutex mutex_;
  std::string last_failure_;
  std::vector<std::thread> threads_;
};

std::map<std::string, int> Spread(HttpClient& api, int calls) {
  std::map<std::string, int> counts;
  for (int i = 0; i < calls; ++i)
    ++counts[Replica(api)];
  return counts;
}

TEST_CASE("calls spread over the replicas of one name, new ones join, a stopped one is skipped") {
  ReplicaStack stack;
  for (int host : {2, 3, 4})
    stack.AddReplica(host);
  HttpClient api = stack.Api();
  // The gateway may have resolved the name before every replica was in it.
  REQUIRE(Eventually([&] { return Spread(api, 30).size() == 3; }, 15s));

  constexpr int kCalls = 300;
  auto counts = Spread(api, kCalls);
  INFO("r2 " << counts["r2"] << ", r3 " << counts["r3"] << ", r4 " << counts["r4"]);
  CHECK(counts[""] == 0);
  for (const char* name : {"r2", "r3", "r4"}) {
    CHECK(counts[name] >= kCalls * 23 / 100);
    CHECK(counts[name] <= kCalls * 43 / 100);
  }

  // A fourth replica gets calls once the connections of the others age out (1 s here).
  stack.AddReplica(5);
  CHECK(Eventually([&] { return Replica(api) == "r5"; }, 10s));

  // r3 stops (SIGTERM: it drains) while two clients keep reading: no read fails (one that races
  // the GOAWAY is tried again on another replica).
  Load load(stack, 2);
  std::this_thread::sleep_for(300ms);
  stack.replica("r3").Stop(SIGTERM);
  std::this_thread::sleep_for(1s);
  load.Stop();
  INFO("last failure: " << load.last_failure());
  CHECK(load.calls() > 20);
  CHECK(load.failed() == 0);
  const auto after = Spread(api, 60);
  CHECK(after.count("r3") == 0);
  CHECK(after.count("") == 0);
}

TEST_CASE("a replica killed under load: reads in flight are tried again, changes answer 503",
          "[kill]") {
  const bool change = GENERATE(false, true);
  INFO((change ? "changes" : "reads"));
  ReplicaStack stack;
  stack.AddReplica(2);
  stack.AddReplica(3);
  HttpClient api = stack.Api();
  REQUIRE(Eventually([&] { return Spread(api, 20).size() == 2; }, 15s));
  Load load(stack, 2, change);
  std::this_thread::sleep_for(300ms);
  stack.replica("r2").Stop(SIGKILL);
  std::this_thread::sleep_for(1s);
  load.Stop();
  INFO("last failure: " << load.last_failure());
  CHECK(load.calls() > 20);
  if (change) {
    // A change may have been made: it is never sent twice. At most the ones in flight on r2 (one
    // per client) fail, as 503.
    CHECK(load.failed() <= 2);
    CHECK(load.not_503() == 0);
  } else {
    CHECK(load.failed() == 0);
  }
  const auto after = Spread(api, 20);
  CHECK(after == std::map<std::string, int>{{"r3", 20}});
}

}  // namespace
