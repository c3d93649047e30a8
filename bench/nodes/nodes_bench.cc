// Issue 6's performance item, driven by bench/nodes/run: nodes-service on an emulated cluster of
// NODES_BENCH_NODES nodes and their pods (NODES_BENCH_CLUSTER, from make_cluster.py), behind the
// gateway, loaded with wrk:
//   1. GET /api/admin/nodes?pageSize=100    (target p99 <= 20 ms)
//   2. GET /api/admin/nodes/stats            (target p99 <= 10 ms)
//   3. reference: the emulator's own GET /api/v1/nodes?limit=100 (JSON, over HTTPS)
// Every load run holds the shared build lock, so that no compile runs beside it. Prints a
// Markdown table.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>
#include <regex>
#include <sstream>

#include "nodes_support.h"

namespace ss::test {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value ? value : fallback;
}

std::string Run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, read);
  ::pclose(pipe);
  return output;
}

// wrk's latency in ms from a line like "     99%   12.34ms".
double LatencyMs(const std::string& output, const std::string& percentile) {
  const std::regex line("\\n\\s*" + percentile + "%\\s+([0-9.]+)(us|ms|s)");
  std::smatch match;
  if (!std::regex_search(output, match, line))
    return -1;
  const double value = std::stod(match[1]);
  return match[2] == "us" ? value / 1000 : match[2] == "s" ? value * 1000 : value;
}

double Rate(const std::string& output) {
  std::smatch match;
  const std::regex line("Requests/sec:\\s+([0-9.]+)");
  return std::regex_search(output, match, line) ? std::stod(match[1]) : -1;
}

struct Load {
  std::string name;
  std::string url;
  std::string token;
  double target_p99_ms;  // 0: a reference without a target
};

// The shared build lock, held while wrk runs.
class BuildLock {
 public:
  BuildLock() : fd_(::open("/tmp/streamspace-build.lock", O_RDWR | O_CREAT, 0666)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX) == 0);
  }
  ~BuildLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

TEST_CASE("nodes bench: a page of nodes and the stats from the cache", "[.nodes-bench]") {
  std::ifstream cluster(RequiredEnv("NODES_BENCH_CLUSTER"));
  std::stringstream yaml;
  yaml << cluster.rdbuf();
  NodesStackOptions options;
  options.cluster_yaml = yaml.str();
  options.nodes = std::stoi(Env("NODES_BENCH_NODES", "1000"));
  options.emulator.log_interval_ms = 600000;
  options.emulator.bookmark_interval_ms = 5000;
  options.emulator.watch_window = 50000;
  options.env = {{"METRICS_POLL_INTERVAL", "5s"}, {"LOG_LEVEL", "warn"}};
  options.ready_timeout = std::chrono::seconds(300);
  NodesStack stack(options);
  const int port = stack.platform().auth().api_port();
  const std::string gateway = "http://127.0.0.1:" + std::to_string(port);
  auto& emulator = stack.platform().emulator();
  const std::string emulator_url = "https://127.0.0.1:" + std::to_string(emulator.port());

  HttpClient api = stack.Api();
  const auto page = api.Get("/api/admin/nodes?pageSize=100", stack.admin_token());
  REQUIRE(page.status == 200);
  REQUIRE(page.Json().size() == 100);
  const auto stats = api.Get("/api/admin/nodes/stats", stack.admin_token()).Json();
  std::printf("cluster: %lld nodes, %lld pods; page of 100 nodes: %zu bytes of JSON\n",
              Int(stats, "totalNodes"), Int(stats["pods"], "used"), page.body.size());

  const std::vector<Load> loads = {
      {"gateway GET /api/admin/nodes?pageSize=100", gateway + "/api/admin/nodes?pageSize=100",
       stack.admin_token(), 20},
      {"gateway GET /api/admin/nodes/stats", gateway + "/api/admin/nodes/stats",
       stack.admin_token(), 10},
      {"reference: emulator GET /api/v1/nodes?limit=100", emulator_url + "/api/v1/nodes?limit=100",
       emulator.token(), 0},
  };
  const std::string duration = Env("WRK_DURATION", "10s");
  std::printf("\nwrk -t<=2 -d%s --latency (after a 3 s warm-up) at each connection count\n\n",
              duration.c_str());
  std::printf(
      "| load | connections | req/s | p50 ms | p99 ms | target p99 |\n"
      "|---|---|---|---|---|---|\n");
  std::istringstream counts(Env("WRK_CONNECTIONS", "1 4 16"));
  std::vector<std::string> connection_counts{std::istream_iterator<std::string>(counts), {}};
  for (const Load& load : loads) {
    for (const std::string& connections : connection_counts) {
      const std::string threads = connections == "1" ? "1" : "2";
      const std::string header = "-H 'Authorization: Bearer " + load.token + "' ";
      const std::string wrk = "wrk -t" + threads + " -c" + connections + " " + header;
      BuildLock lock;
      Run(wrk + "-d3s '" + load.url + "' >/dev/null 2>&1");
      const std::string output = Run(wrk + "-d" + duration + " --latency '" + load.url + "' 2>&1");
      INFO(output);
      CHECK(output.find("Non-2xx") == std::string::npos);
      const double p99 = LatencyMs(output, "99");
      const std::string verdict =
          load.target_p99_ms > 0
              ? std::to_string(static_cast<int>(load.target_p99_ms)) +
                    " ms: " + (p99 >= 0 && p99 <= load.target_p99_ms ? "met" : "missed")
              : "-";
      std::printf("| %s | %s | %.0f | %.2f | %.2f | %s |\n", load.name.c_str(), connections.c_str(),
                  Rate(output), LatencyMs(output, "50"), p99, verdict.c_str());
      std::fflush(stdout);
    }
  }

  // The nodes service's share, without the gateway: sequential gRPC calls.
  auto stub = stack.Stub();
  const auto time_calls = [&](const char* name, const std::function<grpc::Status()>& call) {
    std::vector<double> ms;
    BuildLock lock;
    for (int i = 0; i < 500; ++i) {
      const auto start = std::chrono::steady_clock::now();
      REQUIRE(call().ok());
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("| gRPC %s (sequential, 500 calls) | 1 | %.0f | %.2f | %.2f | - |\n", name,
                1000.0 * ms.size() / std::accumulate(ms.begin(), ms.end(), 0.0), ms[ms.size() / 2],
                ms[ms.size() * 99 / 100]);
  };
  time_calls("ListNodes pageSize=100", [&] {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, stack.admin_token());
    nodes_pb::ListNodesRequest request;
    request.set_page_size(100);
    nodes_pb::ListNodesResponse response;
    return stub->ListNodes(&context, request, &response);
  });
  time_calls("GetNodeStats", [&] {
    grpc::ClientContext context;
    NodesStack::Authorize(&context, stack.admin_token());
    nodes_pb::NodeStats response;
    return stub->GetNodeStats(&context, nodes_pb::GetNodeStatsRequest(), &response);
  });
}

}  // namespace ss::test
