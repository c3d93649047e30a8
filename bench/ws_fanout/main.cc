// ws-fanout-bench: how one gateway fans a shared stream out to many WebSocket subscribers.
// Starts an in-process stand-in for auth's key endpoints, the echo server (the upstream) and the
// gateway on free loopback ports, opens --clients subscribers to /echo/v1/ws/items (each a
// signed-in user who owns the published items), then measures:
//   - the gateway's VmRSS with one subscriber and with all of them, idle: RSS per subscriber;
//   - for --events changes published one at a time (--interval-ms apart) through the echo
//     server's Publish, the time from publishing to each subscriber's receipt: p50, p99, max.
// Subscribers connect from --addresses loopback addresses (127.0.0.2, ...), so that no single
// address runs out of ephemeral ports. This process and the gateway (which inherits the limit)
// each need a file descriptor limit above --clients.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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
using Clock = std::chrono::steady_clock;

struct Options {
  int clients = 10000;
  int events = 40;
  int interval_ms = 250;
  int payload = 400;
  int addresses = 4;
  int parallel = 200;
  std::string gateway_threads = "2";
};

void Usage() {
  std::cout << "ws-fanout-bench [--clients N] [--events N] [--interval-ms N] [--payload BYTES]\n"
               "                [--addresses N] [--parallel N] [--gateway-threads N]\n";
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help") {
      Usage();
      std::exit(0);
    }
    if (i + 1 >= argc) {
      Usage();
      std::exit(2);
    }
    const std::string value = argv[++i];
    if (flag == "--clients") {
      options.clients = std::stoi(value);
    } else if (flag == "--events") {
      options.events = std::stoi(value);
    } else if (flag == "--interval-ms") {
      options.interval_ms = std::stoi(value);
    } else if (flag == "--payload") {
      options.payload = std::stoi(value);
    } else if (flag == "--addresses") {
      options.addresses = std::stoi(value);
    } else if (flag == "--parallel") {
      options.parallel = std::stoi(value);
    } else if (flag == "--gateway-threads") {
      options.gateway_threads = value;
    } else {
      Usage();
      std::exit(2);
    }
  }
  return options;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// A field of /proc/<pid>/status in KiB ("VmRSS", "RssAnon").
long StatusKiB(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0)
      return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// What every subscriber reports to.
struct Tally {
  explicit Tally(int events) : delivered(static_cast<std::size_t>(events)) {}
  std::atomic<int> opened{0};
  std::atomic<int> snapshots{0};
  std::atomic<int> failed{0};
  std::vector<std::atomic<int>> delivered;
  std::mutex mutex;
  std::vector<int64_t> latencies_ns;

  // A message carries "e=<event>;t=<ns>;" in its payload.
  void OnMessage(std::string_view message, int64_t now_ns) {
    if (message.find("\"type\":\"snapshot\"") != std::string_view::npos) {
      ++snapshots;
      return;
    }
    const auto at = message.find("e=");
    if (at == std::string_view::npos)
      return;
    int event = 0;
    int64_t sent = 0;
    const char* begin = message.data() + at + 2;
    const char* end = message.data() + message.size();
    auto parsed = std::from_chars(begin, end, event);
    if (parsed.ec != std::errc() || parsed.ptr + 3 > end)
      return;
    parsed = std::from_chars(parsed.ptr + 3, end, sent);
    if (parsed.ec != std::errc() || event < 0 || event >= static_cast<int>(delivered.size()))
      return;
    ++delivered[static_cast<std::size_t>(event)];
    std::lock_guard lock(mutex);
    latencies_ns.push_back(now_ns - sent);
  }
};

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(net::io_context& io, Tally& tally) : ws_(io), tally_(tally) {}

  void Start(const tcp::endpoint& gateway, const net::ip::address& local, const std::string& token,
             std::function<void()> connected) {
    connected_ = std::move(connected);
    auto& socket = beast::get_lowest_layer(ws_);
    beast::error_code error;
    socket.open(tcp::v4(), error);
    if (!error)
      socket.bind(tcp::endpoint(local, 0), error);
    if (error)
      return Fail();
    ws_.set_option(websocket::stream_base::decorator(
        [authorization = "Bearer " + token](websocket::request_type& request) {
          request.set(beast::http::field::authorization, authorization);
        }));
    socket.async_connect(gateway, [self = shared_from_this(), gateway](beast::error_code error) {
      if (error)
        return self->Fail();
      self->ws_.async_handshake("127.0.0.1:" + std::to_string(gateway.port()), "/echo/v1/ws/items",
                                [self](beast::error_code error) {
                                  if (error)
                                    return self->Fail();
                                  ++self->tally_.opened;
                                  self->Done();
                                  self->Read();
                                });
    });
  }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) {
        ++self->tally_.failed;
        return;
      }
      const auto data = self->buffer_.cdata();
      self->tally_.OnMessage(std::string_view(static_cast<const char*>(data.data()), data.size()),
                             NowNs());
      self->buffer_.consume(self->buffer_.size());
      self->Read();
    });
  }

  void Fail() {
    ++tally_.failed;
    Done();
  }

  void Done() {
    if (connected_) {
      auto connected = std::move(connected_);
      connected();
    }
  }

  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  Tally& tally_;
  std::function<void()> connected_;
};

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

double Percentile(std::vector<int64_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[index]) / 1e6;
}

int Run(const Options& options) {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < static_cast<rlim_t>(options.clients) + 256) {
    std::cerr << "file descriptor limit " << files.rlim_cur << " is too low for " << options.clients
              << " clients (ulimit -n)\n";
    return 1;
  }
  ss::test::FakeAuth auth;
  ss::test::TempDir dir("ws-fanout-bench-");
  const int echo_port = ss::test::FreePort();
  const int api_port = ss::test::FreePort();
  ss::test::Process echo_server(
      ss::test::ProcessOptions{SS_ECHO_SERVER_BIN,
                               {},
                               {{"GRPC_ADDR", "127.0.0.1:" + std::to_string(echo_port)},
                                {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                                {"AUTH_ADDR", auth.address()},
                                {"SERVICE_SECRET", ss::test::FakeAuth::kServiceSecret},
                                {"LOG_LEVEL", "warn"}},
                               dir.path() / "echo.log",
                               std::nullopt});
  if (!echo_server.WaitForPort(echo_port))
    return 1;
  ss::test::Process gateway(
      ss::test::ProcessOptions{SS_GATEWAY_BIN,
                               {},
                               {{"API_ADDRESS", "127.0.0.1"},
                                {"API_PORT", std::to_string(api_port)},
                                {"METRICS_PORT", std::to_string(ss::test::FreePort())},
                                {"ECHO_ADDR", "127.0.0.1:" + std::to_string(echo_port)},
                                {"AUTH_ADDR", auth.address()},
                                {"SERVICE_SECRET", ss::test::FakeAuth::kServiceSecret},
                                {"GATEWAY_DESCRIPTOR_SETS", SS_ECHO_DESCRIPTOR_SET},
                                {"GATEWAY_THREADS", options.gateway_threads},
                                {"LOG_LEVEL", "warn"}},
                               dir.path() / "gateway.log",
                               std::nullopt});
  if (!gateway.WaitForPort(api_port))
    return 1;
  const auto token = auth.Issue("bench", "user", std::chrono::hours(4));
  if (!WaitFor(
          [&] {
            return ss::test::HttpClient("127.0.0.1", api_port)
                       .Get("/echo/v1/items/mine", token)
                       .status == 200;
          },
          std::chrono::seconds(30))) {
    std::cerr << "the gateway does not accept the token: "
              << ss::test::HttpClient("127.0.0.1", api_port).Get("/echo/v1/items/mine", token).body
              << "\n" << gateway.LogContents() << echo_server.LogContents();
    return 1;
  }
  auto stub = echo::EchoService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(echo_port), grpc::InsecureChannelCredentials()));

  Tally tally(options.events);
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<std::thread> threads;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(std::make_unique<net::io_context>(1));
    guards.push_back(net::make_work_guard(*contexts.back()));
  }
  for (auto& context : contexts)
    threads.emplace_back([&context] { context->run(); });

  const tcp::endpoint target(net::ip::make_address("127.0.0.1"),
                             static_cast<unsigned short>(api_port));
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  std::atomic<int> in_flight{0};
  auto connect = [&](int i) {
    auto& context = *contexts[static_cast<std::size_t>(i) % contexts.size()];
    const auto local =
        net::ip::make_address("127.0.0." + std::to_string(2 + i % std::max(1, options.addresses)));
    auto subscriber = std::make_shared<Subscriber>(context, tally);
    subscribers.push_back(subscriber);
    ++in_flight;
    net::post(context, [subscriber, target, local, &token, &in_flight] {
      subscriber->Start(target, local, token, [&in_flight] { --in_flight; });
    });
  };

  connect(0);
  if (!WaitFor([&] { return tally.snapshots >= 1; }, std::chrono::seconds(30))) {
    std::cerr << "the first subscriber got no snapshot\n";
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long rss_one = StatusKiB(gateway.pid(), "VmRSS");
  const long anon_one = StatusKiB(gateway.pid(), "RssAnon");

  const auto connect_start = Clock::now();
  for (int i = 1; i < options.clients; ++i) {
    while (in_flight >= options.parallel)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    connect(i);
  }
  const bool all_in = WaitFor([&] { return tally.snapshots + tally.failed >= options.clients; },
                              std::chrono::seconds(300));
  const double connect_seconds =
      std::chrono::duration<double>(Clock::now() - connect_start).count();
  if (!all_in || tally.failed > 0) {
    std::cerr << "subscribers: " << tally.snapshots << " with a snapshot, " << tally.failed
              << " failed\n";
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long rss_all = StatusKiB(gateway.pid(), "VmRSS");
  const long anon_all = StatusKiB(gateway.pid(), "RssAnon");

  const std::string padding(static_cast<std::size_t>(std::max(0, options.payload - 40)), 'x');
  std::vector<double> completion_ms;
  for (int event = 0; event < options.events; ++event) {
    echo::PublishRequest request;
    auto* change = request.add_events();
    change->set_type(event == 0 ? "added" : "modified");
    change->mutable_item()->set_id("session-1");
    change->mutable_item()->set_owner("bench");
    change->mutable_item()->set_version(event + 1);
    const auto sent = NowNs();
    change->mutable_item()->set_payload("e=" + std::to_string(event) +
                                        ";t=" + std::to_string(sent) + ";" + padding);
    grpc::ClientContext context;
    echo::PublishResponse response;
    if (!stub->Publish(&context, request, &response).ok()) {
      std::cerr << "Publish failed\n";
      return 1;
    }
    auto& delivered = tally.delivered[static_cast<std::size_t>(event)];
    if (!WaitFor([&] { return delivered >= options.clients; }, std::chrono::seconds(30))) {
      std::cerr << "event " << event << " reached " << delivered << " subscribers\n";
      return 1;
    }
    completion_ms.push_back(static_cast<double>(NowNs() - sent) / 1e6);
    std::this_thread::sleep_for(std::chrono::milliseconds(options.interval_ms));
  }
  const long rss_after = StatusKiB(gateway.pid(), "VmRSS");

  std::vector<int64_t> latencies;
  {
    std::lock_guard lock(tally.mutex);
    latencies = tally.latencies_ns;
  }
  std::sort(latencies.begin(), latencies.end());
  std::sort(completion_ms.begin(), completion_ms.end());
  const double per_subscriber_kib =
      static_cast<double>(rss_all - rss_one) / static_cast<double>(options.clients - 1);
  const double anon_per_subscriber_kib =
      static_cast<double>(anon_all - anon_one) / static_cast<double>(options.clients - 1);
  const double p99 = Percentile(latencies, 0.99);

  std::printf(
      "subscribers                        %d (connected in %.1f s, %d gateway io threads)\n",
      options.clients, connect_seconds, std::stoi(options.gateway_threads));
  std::printf("gateway VmRSS, 1 subscriber        %ld KiB (RssAnon %ld KiB)\n", rss_one, anon_one);
  std::printf("gateway VmRSS, %d subscribers   %ld KiB (RssAnon %ld KiB)\n", options.clients,
              rss_all, anon_all);
  std::printf("gateway VmRSS after the changes    %ld KiB\n", rss_after);
  std::printf(
      "RSS per idle subscriber            %.2f KiB (RssAnon %.2f KiB)  target <= 16 KiB: %s\n",
      per_subscriber_kib, anon_per_subscriber_kib, per_subscriber_kib <= 16 ? "met" : "MISSED");
  std::printf("changes published                  %d, %d bytes of payload, %d ms apart\n",
              options.events, options.payload, options.interval_ms);
  std::printf("deliveries measured                %zu\n", latencies.size());
  std::printf(
      "delivery latency p50 / p99 / max   %.1f / %.1f / %.1f ms  target p99 <= 250 ms: %s\n",
      Percentile(latencies, 0.5), p99, Percentile(latencies, 1.0), p99 <= 250 ? "met" : "MISSED");
  std::printf("last subscriber reached, p50 / max %.1f / %.1f ms\n",
              completion_ms[completion_ms.size() / 2], completion_ms.back());

  for (auto& guard : guards)
    guard.reset();
  for (auto& context : contexts)
    context->stop();
  for (auto& thread : threads)
    thread.join();
  subscribers.clear();
  gateway.Stop();
  echo_server.Stop();
  return per_subscriber_kib <= 16 && p99 <= 250 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(Parse(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "ws-fanout-bench: " << error.what() << "\n";
    return 1;
  }
}
