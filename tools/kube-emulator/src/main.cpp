// kube-emulator: a local Kubernetes API server for development and tests (see README.md).
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <vector>

#include "api.h"
#include "cluster_file.h"
#include "controllers.h"
#include "http_server.h"
#include "rbac.h"
#include "tls.h"

namespace {

constexpr const char* kUsage = R"(usage: kube-emulator [flags]

  --bind ADDRESS              listen address (127.0.0.1)
  --port N                    HTTPS port, 0 picks a free one (6443)
  --http-port N               also serve plain HTTP on this port (off)
  --state-dir DIR             objects, CA, certificates and token live here (.run/kube-emulator)
  --kubeconfig-out FILE       write a kubeconfig for this server (STATE_DIR/kubeconfig)
  --kubeconfig-host HOST      the server's host name in that kubeconfig (the bind address)
  --tls-host NAME             a further DNS name the serving certificate holds, e.g. the name a
                              compose network gives the emulator (repeatable)
  --cluster-file FILE         starting cluster as multi-document YAML (built-in default)
  --seed-file FILE            further objects a new cluster starts with, after the starting
                              cluster, e.g. the chart's CRDs (repeatable)
  --token TOKEN               bearer token clients must send (generated, kept in STATE_DIR/token)
  --pod-start-delay-ms N      Pending -> Running delay of a scheduled pod (1000)
  --log-interval-ms N         how often a running container writes a log line (1000)
  --bookmark-interval-ms N    watch bookmark interval (5000)
  --watch-window N            changes kept for watches; older resourceVersions get 410 (1000)
  --gone-as-event             send an expired watch as a 200 stream with an ERROR event
                              instead of an HTTP 410
  --log-level LEVEL           trace, debug, info, warn, error (info)
  --help                      this text
)";

struct Flags {
  std::string bind = "127.0.0.1";
  int port = 6443;
  int http_port = -1;
  std::string state_dir = ".run/kube-emulator";
  std::string kubeconfig_out;
  std::string kubeconfig_host;
  std::vector<std::string> tls_hosts;
  std::string cluster_file;
  std::vector<std::string> seed_files;
  std::string token;
  long pod_start_delay_ms = 1000;
  long log_interval_ms = 1000;
  long bookmark_interval_ms = 5000;
  long watch_window = 1000;
  bool gone_as_event = false;
  std::string log_level = "info";
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg == "--gone-as-event") {
      f.gone_as_event = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << arg << "\n" << kUsage;
      std::exit(2);
    }
    const std::string value = argv[++i];
    if (arg == "--bind") {
      f.bind = value;
    } else if (arg == "--port") {
      f.port = std::stoi(value);
    } else if (arg == "--http-port") {
      f.http_port = std::stoi(value);
    } else if (arg == "--state-dir") {
      f.state_dir = value;
    } else if (arg == "--kubeconfig-out") {
      f.kubeconfig_out = value;
    } else if (arg == "--kubeconfig-host") {
      f.kubeconfig_host = value;
    } else if (arg == "--tls-host") {
      f.tls_hosts.push_back(value);
    } else if (arg == "--cluster-file") {
      f.cluster_file = value;
    } else if (arg == "--seed-file") {
      f.seed_files.push_back(value);
    } else if (arg == "--token") {
      f.token = value;
    } else if (arg == "--pod-start-delay-ms") {
      f.pod_start_delay_ms = std::stol(value);
    } else if (arg == "--log-interval-ms") {
      f.log_interval_ms = std::stol(value);
    } else if (arg == "--bookmark-interval-ms") {
      f.bookmark_interval_ms = std::stol(value);
    } else if (arg == "--watch-window") {
      f.watch_window = std::stol(value);
    } else if (arg == "--log-level") {
      f.log_level = value;
    } else {
      std::cerr << "unknown flag " << arg << "\n" << kUsage;
      std::exit(2);
    }
  }
  return f;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes via a temporary file and a rename, so that a reader never sees half a file.
void WriteAtomically(const std::filesystem::path& path, const std::string& data) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << data;
  }
  std::filesystem::permissions(
      tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::rename(tmp, path);
}

std::string LoadOrCreateToken(const Flags& flags) {
  if (!flags.token.empty()) {
    return flags.token;
  }
  const auto path = std::filesystem::path(flags.state_dir) / "token";
  if (std::filesystem::exists(path)) {
    std::string token = ReadFile(path.string());
    token.erase(token.find_last_not_of("\n\r ") + 1);
    return token;
  }
  std::random_device rd;
  std::string token;
  for (int i = 0; i < 32; ++i) {
    token += "0123456789abcdef"[rd() % 16];
  }
  WriteAtomically(path, token + "\n");
  return token;
}

std::string Kubeconfig(const std::string& server, const std::string& ca_pem,
                       const std::string& token) {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: kube-emulator\n  cluster:\n"
         "    server: " +
         server + "\n    certificate-authority-data: " + kubeemu::Base64Encode(ca_pem) +
         "\nusers:\n- name: kube-emulator-admin\n  user:\n    token: " + token +
         "\ncontexts:\n- name: kube-emulator\n  context:\n    cluster: kube-emulator\n"
         "    user: kube-emulator-admin\n    namespace: default\n"
         "current-context: kube-emulator\n";
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    std::filesystem::create_directories(flags.state_dir);
    kubeemu::ClusterOptions options;
    options.state_dir = flags.state_dir;
    options.pod_start_delay = std::chrono::milliseconds(flags.pod_start_delay_ms);
    options.log_interval = std::chrono::milliseconds(flags.log_interval_ms);
    options.bookmark_interval = std::chrono::milliseconds(flags.bookmark_interval_ms);
    options.watch_window = static_cast<size_t>(flags.watch_window);
    kubeemu::Cluster cluster(options);
    if (cluster.Load()) {
      spdlog::info("restored state from {}", flags.state_dir);
    } else {
      kubeemu::SeedCluster(cluster, flags.cluster_file.empty() ? kubeemu::DefaultClusterYaml()
                                                               : ReadFile(flags.cluster_file));
      for (const std::string& file : flags.seed_files) {
        kubeemu::SeedCluster(cluster, ReadFile(file));
      }
    }
    // The bootstrap RBAC policy, as kube-apiserver reconciles it at every start.
    kubeemu::SeedCluster(cluster, kubeemu::BootstrapPolicyYaml(), true);
    const kubeemu::TlsMaterial tls = kubeemu::LoadOrCreateTls(flags.state_dir, flags.tls_hosts);
    const std::string token = LoadOrCreateToken(flags);
    kubeemu::ApiServer api(cluster, token, flags.gone_as_event);
    kubeemu::HttpServer server([&api](const kubeemu::HttpRequest& r) { return api.Handle(r); });
    const unsigned short port =
        server.ListenTls(flags.bind, static_cast<unsigned short>(flags.port), tls);
    spdlog::info("serving HTTPS on {}:{}", flags.bind, port);
    if (flags.http_port >= 0) {
      const unsigned short http_port =
          server.ListenPlain(flags.bind, static_cast<unsigned short>(flags.http_port));
      spdlog::info("serving HTTP on {}:{}", flags.bind, http_port);
    }
    const std::string host = !flags.kubeconfig_host.empty() ? flags.kubeconfig_host
                             : flags.bind == "0.0.0.0"      ? "127.0.0.1"
                                                            : flags.bind;
    const std::string kubeconfig =
        flags.kubeconfig_out.empty()
            ? (std::filesystem::path(flags.state_dir) / "kubeconfig").string()
            : flags.kubeconfig_out;
    WriteAtomically(kubeconfig,
                    Kubeconfig("https://" + host + ":" + std::to_string(port), tls.ca_cert, token));
    spdlog::info("kubeconfig written to {}", kubeconfig);
    kubeemu::ControlLoop loop(cluster);
    loop.Start();
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received, saving state", received);
    loop.Stop();
    spdlog::shutdown();
    // Connection threads may still block in reads; the state is saved, so leave at once.
    std::_Exit(0);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
