// List-then-watch: events once each, resume after timeouts and drops, re-list on 410 (as an
// HTTP status and as an ERROR event), bookmarks, prompt Stop().
#include "kube/watcher.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "emulator.h"
#include "tcp_proxy.h"
#include "wait.h"

namespace ss::kube::testing {
namespace {

using nlohmann::json;

// Records every event ("ADDED s1") and keeps a name -> resourceVersion cache with re-list
// semantics.
class Recorder final : public WatchHandler {
 public:
  void OnListStart() override {
    std::lock_guard lock(mutex_);
    ++list_starts_;
    listed_.clear();
  }
  void OnEvent(WatchEventType type, const json& object) override {
    std::lock_guard lock(mutex_);
    const std::string name = object["metadata"]["name"];
    const char* kind = type == WatchEventType::kAdded      ? "ADDED"
                       : type == WatchEventType::kModified ? "MODIFIED"
                                                           : "DELETED";
    events_.push_back(std::string(kind) + " " + name);
    listed_.insert(name);
    if (type == WatchEventType::kDeleted) {
      cache_.erase(name);
    } else {
      cache_[name] = object["metadata"]["resourceVersion"];
    }
  }
  void OnSynced() override {
    std::lock_guard lock(mutex_);
    ++syncs_;
    for (auto it = cache_.begin(); it != cache_.end();) {
      it = listed_.count(it->first) != 0 ? std::next(it) : cache_.erase(it);
    }
  }

  std::vector<std::string> Events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::set<std::string> Names() {
    std::lock_guard lock(mutex_);
    std::set<std::string> names;
    for (const auto& [name, version] : cache_) {
      names.insert(name);
    }
    return names;
  }
  int syncs() {
    std::lock_guard lock(mutex_);
    return syncs_;
  }
  void ClearEvents() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> events_;
  std::map<std::string, std::string> cache_;
  std::set<std::string> listed_;
  int list_starts_ = 0;
  int syncs_ = 0;
};

WatcherOptions FastOptions() {
  WatcherOptions options;
  options.ns = "default";
  options.page_size = 3;
  options.min_backoff = std::chrono::milliseconds(50);
  options.max_backoff = std::chrono::milliseconds(10'000);
  return options;
}

void CreateSession(Client& client, const std::string& name) {
  REQUIRE(client.Create(resources::kSessions, "default", SessionObject("default", name)).ok());
}

std::vector<std::string> EventsAfter(Recorder& recorder, std::size_t count) {
  WaitFor([&] { return recorder.Events().size() >= count; });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing extra may follow
  return recorder.Events();
}

}  // namespace

TEST_CASE("list then watch delivers each change once and resumes after a timeout", "[watch]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  ApplySessionCrd(*client);
  for (const char* name : {"s1", "s2", "s3", "s4"}) {
    CreateSession(*client, name);
  }
  Recorder recorder;
  auto options = FastOptions();
  options.watch_timeout_seconds = 1;
  Watcher watcher(*client, resources::kSessions, options, recorder);
  watcher.Start();
  REQUIRE(WaitFor([&] { return recorder.syncs() == 1; }));
  CHECK(recorder.Names() == std::set<std::string>{"s1", "s2", "s3", "s4"});  // two pages
  recorder.ClearEvents();

  CreateSession(*client, "s5");
  REQUIRE(client
              ->Patch(resources::kSessions, "default", "s1", PatchType::kMerge,
                      {{"spec", {{"state", "hibernated"}}}})
              .ok());
  REQUIRE(client->Delete(resources::kSessions, "default", "s2").ok());
  CHECK(EventsAfter(recorder, 3) ==
        std::vector<std::string>{"ADDED s5", "MODIFIED s1", "DELETED s2"});

  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the server ends watches
  CreateSession(*client, "s6");
  CHECK(EventsAfter(recorder, 4) ==
        std::vector<std::string>{"ADDED s5", "MODIFIED s1", "DELETED s2", "ADDED s6"});
  const auto stats = watcher.GetStats();
  CHECK(stats.lists == 1);
  CHECK(stats.watches >= 3);
  CHECK(recorder.Names() == std::set<std::string>{"s1", "s3", "s4", "s5", "s6"});

  // A bookmark moves the version on without an event of ours: another resource's write.
  auto other = client->Create(
      resources::kConfigMaps, "default",
      {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "unrelated"}}}});
  REQUIRE(other.ok());
  const std::string other_version = (*other)["metadata"]["resourceVersion"];
  CHECK(WaitFor(
      [&] { return std::stoull(watcher.ResourceVersion()) >= std::stoull(other_version); }));
  CHECK(recorder.Events().size() == 4);
}

TEST_CASE("a dropped watch resumes from its version without losing or repeating", "[watch]") {
  Emulator emulator;
  auto direct = emulator.NewClient();
  ApplySessionCrd(*direct);
  CreateSession(*direct, "a1");
  TcpProxy proxy(emulator.port());
  Config config = emulator.ClientConfig();
  config.server = "https://127.0.0.1:" + std::to_string(proxy.port());
  auto client = MakeClient(config);
  Recorder recorder;
  Watcher watcher(*client, resources::kSessions, FastOptions(), recorder);
  watcher.Start();
  REQUIRE(WaitFor([&] { return recorder.syncs() == 1; }));
  CreateSession(*direct, "a2");
  REQUIRE(EventsAfter(recorder, 2).back() == "ADDED a2");

  proxy.DropAndRefuse();
  CreateSession(*direct, "b1");
  REQUIRE(direct
              ->Patch(resources::kSessions, "default", "a1", PatchType::kMerge,
                      {{"spec", {{"state", "hibernated"}}}})
              .ok());
  REQUIRE(direct->Delete(resources::kSessions, "default", "a2").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // retries are refused meanwhile
  proxy.Resume();
  CHECK(EventsAfter(recorder, 5) ==
        std::vector<std::string>{"ADDED a1", "ADDED a2", "ADDED b1", "MODIFIED a1", "DELETED a2"});
  const auto stats = watcher.GetStats();
  CHECK(stats.lists == 1);
  CHECK(stats.gone == 0);
  CHECK(stats.watches >= 2);
}

TEST_CASE("410 Gone re-lists, as an HTTP status or an ERROR event", "[watch][gone]") {
  const bool as_event = GENERATE(false, true);
  EmulatorOptions emulator_options;
  emulator_options.watch_window = 5;
  emulator_options.gone_as_event = as_event;
  Emulator emulator(emulator_options);
  auto direct = emulator.NewClient();
  ApplySessionCrd(*direct);
  CreateSession(*direct, "keep");
  CreateSession(*direct, "doomed");
  TcpProxy proxy(emulator.port());
  Config config = emulator.ClientConfig();
  config.server = "https://127.0.0.1:" + std::to_string(proxy.port());
  auto client = MakeClient(config);
  Recorder recorder;
  Watcher watcher(*client, resources::kSessions, FastOptions(), recorder);
  watcher.Start();
  REQUIRE(WaitFor([&] { return recorder.syncs() == 1; }));

  proxy.DropAndRefuse();
  REQUIRE(direct->Delete(resources::kSessions, "default", "doomed").ok());
  for (int i = 0; i < 10; ++i) {
    CreateSession(*direct, "n" + std::to_string(i));
  }
  proxy.Resume();
  REQUIRE(WaitFor([&] { return recorder.syncs() >= 2; }, std::chrono::seconds(30)));
  const auto stats = watcher.GetStats();
  CHECK(stats.gone >= 1);
  CHECK(stats.lists >= 2);
  std::set<std::string> expected = {"keep"};
  for (int i = 0; i < 10; ++i) {
    expected.insert("n" + std::to_string(i));
  }
  CHECK(recorder.Names() == expected);  // "doomed" is gone although no DELETED was seen

  CreateSession(*direct, "after");
  CHECK(WaitFor([&] { return recorder.Names().count("after") == 1; }));
}

TEST_CASE("Stop() returns promptly while watching and while backing off", "[watch][stop]") {
  Emulator emulator;
  auto direct = emulator.NewClient();
  ApplySessionCrd(*direct);
  TcpProxy proxy(emulator.port());
  Config config = emulator.ClientConfig();
  config.server = "https://127.0.0.1:" + std::to_string(proxy.port());
  auto client = MakeClient(config);

  Recorder idle;
  Watcher watching(*client, resources::kSessions, FastOptions(), idle);
  watching.Start();
  REQUIRE(WaitFor([&] { return idle.syncs() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto started = std::chrono::steady_clock::now();
  watching.Stop();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));

  Recorder refused;
  auto options = FastOptions();
  options.min_backoff = std::chrono::milliseconds(5000);
  Watcher backing_off(*client, resources::kSessions, options, refused);
  proxy.DropAndRefuse();
  backing_off.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  started = std::chrono::steady_clock::now();
  backing_off.Stop();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));
}

}  // namespace ss::kube::testing
