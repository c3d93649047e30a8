// kube-cache-bench: issue 3's performance item. A list-then-watch cache (ss::kube::Watcher,
// paged list, compact structs) over N Sessions in the emulator: the initial list time, then M
// updates written one after another with the p99 delay until the cache sees each, and the
// process RSS. `seed` creates the Sessions first, in its own process, so that `measure` carries
// only the cache and the writer of the updates.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "kube/watcher.h"
#include "session_cache.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace kube = ss::kube;

struct Flags {
  std::string mode;
  std::string kubeconfig;
  std::string ns = "default";
  int sessions = 10'000;
  int updates = 1'000;
  int page_size = 500;
  int writers = 4;
};

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  if (argc < 2) {
    throw std::invalid_argument(
        "usage: kube-cache-bench seed|measure --kubeconfig FILE "
        "[--namespace NS] [--sessions N] [--updates M] [--page-size P]");
  }
  flags.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--kubeconfig") {
      flags.kubeconfig = value;
    } else if (name == "--namespace") {
      flags.ns = value;
    } else if (name == "--sessions") {
      flags.sessions = std::stoi(value);
    } else if (name == "--updates") {
      flags.updates = std::stoi(value);
    } else if (name == "--page-size") {
      flags.page_size = std::stoi(value);
    } else {
      throw std::invalid_argument("unknown flag " + name);
    }
  }
  return flags;
}

long RssKiB(const char* field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) {
      return std::stol(line.substr(std::string(field).size()));
    }
  }
  return -1;
}

std::string SessionName(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "bench-%05d", i);
  return name;
}

json Session(const std::string& ns, const std::string& name, int i) {
  return {{"apiVersion", "stream.streamspace.io/v1alpha1"},
          {"kind", "Session"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"app", "bench"}}}}},
          {"spec",
           {{"user", "user-" + std::to_string(i % 500)},
            {"template", i % 2 == 0 ? "firefox" : "vscode"},
            {"state", "running"},
            {"persistentHome", true},
            {"idleTimeout", "30m"},
            {"resources", {{"requests", {{"cpu", "500m"}, {"memory", "1Gi"}}}}}}},
          {"status", {{"phase", "Running"}, {"podName", name + "-pod"}}}};
}

void ApplyCrd(kube::Client& client) {
  const json open = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  const json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "sessions.stream.streamspace.io"}}},
      {"spec",
       {{"group", "stream.streamspace.io"},
        {"scope", "Namespaced"},
        {"names", {{"plural", "sessions"}, {"singular", "session"}, {"kind", "Session"}}},
        {"versions",
         {{{"name", "v1alpha1"},
           {"served", true},
           {"storage", true},
           {"schema",
            {{"openAPIV3Schema",
              {{"type", "object"}, {"properties", {{"spec", open}, {"status", open}}}}}}}}}}}}};
  auto created = client.Create(kube::resources::kCustomResourceDefinitions, "", crd);
  if (!created && !created.error().IsAlreadyExists()) {
    throw std::runtime_error("Session CRD: " + created.error().ToString());
  }
  for (int i = 0; i < 200 && !client.List(kube::resources::kSessions, "default", {}); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int Seed(kube::Client& client, const Flags& flags) {
  ApplyCrd(client);
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const auto started = Clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < flags.writers; ++w) {
    writers.emplace_back([&] {
      for (int i; (i = next++) < flags.sessions;) {
        auto created = client.Create(kube::resources::kSessions, flags.ns,
                                     Session(flags.ns, SessionName(i), i));
        if (!created && !created.error().IsAlreadyExists()) {
          std::cerr << "create " << SessionName(i) << ": " << created.error().ToString() << "\n";
          ++failures;
        }
      }
    });
  }
  for (auto& writer : writers) {
    writer.join();
  }
  std::cerr << "seeded " << flags.sessions << " Sessions in "
            << std::chrono::duration<double>(Clock::now() - started).count() << " s\n";
  return failures == 0 ? 0 : 1;
}

int Measure(kube::Client& client, const Flags& flags) {
  std::mutex mutex;
  std::condition_variable observed_cv;
  std::vector<double> delays_ms;
  delays_ms.reserve(flags.updates);
  ss::bench::SessionCache cache([&](const json& object) {
    const auto& annotations = object["metadata"].value("annotations", json::object());
    const std::string sent = annotations.value("bench/sent-ns", "");
    if (sent.empty()) {
      return;
    }
    const auto now = Clock::now().time_since_epoch().count();
    std::lock_guard lock(mutex);
    delays_ms.push_back(static_cast<double>(now - std::stoll(sent)) / 1e6);
    observed_cv.notify_all();
  });
  kube::WatcherOptions options;
  options.ns = flags.ns;
  options.page_size = flags.page_size;
  kube::Watcher watcher(client, kube::resources::kSessions, options, cache);
  const auto list_started = Clock::now();
  watcher.Start();
  while (!cache.synced()) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const double list_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - list_started).count();
  const long rss_after_list = RssKiB("VmRSS:");
  const std::size_t cached = cache.size();

  for (int i = 0; i < flags.updates; ++i) {
    const int target = (i * 7919) % flags.sessions;  // spread over the whole collection
    const auto sent = Clock::now().time_since_epoch().count();
    const json patch = {{"metadata", {{"annotations", {{"bench/sent-ns", std::to_string(sent)}}}}},
                        {"spec", {{"state", i % 2 == 0 ? "hibernated" : "running"}}}};
    auto patched = client.Patch(kube::resources::kSessions, flags.ns, SessionName(target),
                                kube::PatchType::kMerge, patch);
    if (!patched) {
      std::cerr << "patch: " << patched.error().ToString() << "\n";
      return 1;
    }
  }
  {
    std::unique_lock lock(mutex);
    observed_cv.wait_for(lock, std::chrono::seconds(30), [&] {
      return delays_ms.size() >= static_cast<std::size_t>(flags.updates);
    });
  }
  watcher.Stop();
  std::vector<double> sorted = delays_ms;
  std::sort(sorted.begin(), sorted.end());
  const auto percentile = [&](double p) {
    return sorted.empty()
               ? -1.0
               : sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
  };
  const long rss_end = RssKiB("VmRSS:");
  const long rss_peak = RssKiB("VmHWM:");
  std::printf("cached sessions        %zu\n", cached);
  std::printf("initial list           %.1f ms (page size %d)\n", list_ms, flags.page_size);
  std::printf("updates observed       %zu / %d\n", sorted.size(), flags.updates);
  std::printf("update delay p50       %.2f ms\n", percentile(0.50));
  std::printf("update delay p99       %.2f ms\n", percentile(0.99));
  std::printf("update delay max       %.2f ms\n", sorted.empty() ? -1.0 : sorted.back());
  std::printf("RSS after list         %.1f MiB\n", rss_after_list / 1024.0);
  std::printf("RSS at end / peak      %.1f / %.1f MiB\n", rss_end / 1024.0, rss_peak / 1024.0);
  const bool met = cached == static_cast<std::size_t>(flags.sessions) && list_ms <= 1000 &&
                   sorted.size() == static_cast<std::size_t>(flags.updates) &&
                   percentile(0.99) <= 50 && rss_peak <= 64 * 1024;
  std::printf("targets (<= 1 s, p99 <= 50 ms, <= 64 MiB): %s\n", met ? "met" : "NOT met");
  return met ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Flags flags = ParseFlags(argc, argv);
    auto config = kube::KubeconfigConfig(flags.kubeconfig);
    if (!config) {
      std::cerr << config.error().ToString() << "\n";
      return 1;
    }
    auto client = kube::MakeClient(*config);
    if (flags.mode == "seed") {
      return Seed(*client, flags);
    }
    if (flags.mode == "measure") {
      return Measure(*client, flags);
    }
    std::cerr << "mode must be seed or measure\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kube-cache-bench: " << e.what() << "\n";
    return 1;
  }
}
