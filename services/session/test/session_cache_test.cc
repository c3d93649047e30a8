#include "session_cache.h"

#include <catch2/catch.hpp>

namespace ss::session {
namespace {

namespace pb = streamspace::session::v1;
using nlohmann::json;

json Resource(const std::string& name, const std::string& user, const std::string& created,
              int version, const std::string& state = "running") {
  return {{"metadata",
           {{"name", name},
            {"creationTimestamp", created},
            {"resourceVersion", std::to_string(version)},
            {"labels", {{kUserIdLabel, "id-" + user}}}}},
          {"spec",
           {{"user", user},
            {"template", "firefox"},
            {"state", state},
            {"resources", {{"cpu", 1}, {"memory", "2Gi"}}},
            {"persistentHome", true},
            {"tags", {"a", "b"}}}},
          {"status", {{"phase", "Running"}, {"url", "https://" + name + ".x"}}}};
}

std::vector<std::string> Ids(const SessionPage& page) {
  std::vector<std::string> ids;
  for (const auto& session : page.sessions)
    ids.push_back(session.name());
  return ids;
}

}  // namespace

TEST_CASE("a Session resource becomes the API's Session") {
  const SessionRecord record = FromResource(Resource("s1", "alice", "2026-01-01T00:00:00Z", 7));
  CHECK(record.session.name() == "s1");
  CHECK(record.session.user() == "alice");
  CHECK(record.session.resources().cpu() == "1");
  CHECK(record.session.resources().memory() == "2Gi");
  CHECK(record.session.persistent_home());
  CHECK(record.session.tags_size() == 2);
  CHECK(record.session.status().phase() == "Running");
  CHECK(record.user_id == "id-alice");
  CHECK(record.resource_version == "7");
  CHECK(NewerVersion("10", "9"));
  CHECK_FALSE(NewerVersion("9", "10"));
}

TEST_CASE("lists page in (createdAt, id) order with filters") {
  SessionCache cache(nullptr, 100);
  cache.OnListStart();
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("c", "alice", "2026-01-01T00:00:02Z", 3));
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("a", "alice", "2026-01-01T00:00:01Z", 1));
  cache.OnEvent(kube::WatchEventType::kAdded,
                Resource("b", "bob", "2026-01-01T00:00:01Z", 2, "hibernated"));
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("d", "alice", "2026-01-01T00:00:03Z", 4));
  cache.OnSynced();
  REQUIRE(cache.synced());

  SessionQuery query;
  query.limit = 2;
  SessionPage page = cache.List(query);
  CHECK(Ids(page) == std::vector<std::string>{"a", "b"});
  CHECK(page.total == 4);
  REQUIRE(page.next);
  query.after = page.next;
  page = cache.List(query);
  CHECK(Ids(page) == std::vector<std::string>{"c", "d"});
  CHECK_FALSE(page.next);

  SessionQuery alice;
  alice.user = "alice";
  CHECK(Ids(cache.List(alice)) == std::vector<std::string>{"a", "c", "d"});
  SessionQuery hibernated;
  hibernated.state = "hibernated";
  page = cache.List(hibernated);
  CHECK(Ids(page) == std::vector<std::string>{"b"});
  CHECK(page.total == 1);
  CHECK(cache.UsernameOf("id-bob") == "bob");
  CHECK(cache.HomeInUse("alice", "a"));
  CHECK_FALSE(cache.HomeInUse("bob", "b"));
}

TEST_CASE("a re-list drops what is gone; stale writes do not win") {
  SessionCache cache(nullptr, 100);
  cache.OnListStart();
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("a", "alice", "t1", 1));
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("b", "alice", "t2", 2));
  cache.OnSynced();
  cache.OnListStart();
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("b", "alice", "t2", 5));
  cache.OnSynced();
  CHECK_FALSE(cache.Get("a"));
  REQUIRE(cache.Get("b"));
  cache.Apply(Resource("b", "alice", "t2", 4, "hibernated"));
  CHECK(cache.Get("b")->session.state() == "running");
  cache.Apply(Resource("b", "alice", "t2", 6, "hibernated"));
  CHECK(cache.Get("b")->session.state() == "hibernated");
  cache.OnEvent(kube::WatchEventType::kDeleted, Resource("b", "alice", "t2", 7));
  CHECK(cache.size() == 0);
}

TEST_CASE("a write-back after the deletion does not bring the session back") {
  SessionCache cache(nullptr, 100);
  cache.ApplyCreated(Resource("c", "alice", "t3", 3));
  REQUIRE(cache.Get("c"));
  cache.OnEvent(kube::WatchEventType::kDeleted, Resource("c", "alice", "t3", 5));
  const pb::Session answered = cache.Apply(Resource("c", "alice", "t3", 4, "hibernated"));
  CHECK(answered.name() == "c");
  CHECK_FALSE(cache.Get("c"));
  CHECK(cache.size() == 0);
}

TEST_CASE("subscribers get a snapshot, then their own changes, warnings and activity") {
  SessionCache cache(nullptr, 100);
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("a", "alice", "t1", 1));
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("b", "bob", "t2", 2));
  pb::SessionEvent snapshot;
  auto alice = cache.Subscribe("alice", &snapshot);
  CHECK(snapshot.type() == "snapshot");
  REQUIRE(snapshot.sessions_size() == 1);
  CHECK(snapshot.sessions(0).name() == "a");
  pb::SessionEvent all_snapshot;
  auto all = cache.Subscribe("", &all_snapshot);
  CHECK(all_snapshot.sessions_size() == 2);

  cache.OnEvent(kube::WatchEventType::kModified, Resource("b", "bob", "t2", 3, "hibernated"));
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("c", "alice", "t3", 4));
  pb::Session updated;
  CHECK(cache.SetActivity("c", 2, "2026-01-01T00:00:00Z", &updated));
  CHECK(updated.active_connections() == 2);
  CHECK(cache.Warn("c", "idle", "hibernating soon", 60));
  CHECK_FALSE(cache.Warn("nope", "idle", "", 1));
  cache.OnEvent(kube::WatchEventType::kDeleted, Resource("c", "alice", "t3", 5));

  pb::SessionEvent event;
  std::vector<std::string> seen;
  while (alice->Pop(&event, std::chrono::milliseconds(10)))
    seen.push_back(event.type() + ":" + event.session().name());
  CHECK(seen == std::vector<std::string>{"added:c", "modified:c", "warning:c", "deleted:c"});
  int all_events = 0;
  while (all->Pop(&event, std::chrono::milliseconds(10)))
    ++all_events;
  CHECK(all_events == 5);

  // A modification keeps the tracker's figures.
  cache.OnEvent(kube::WatchEventType::kAdded, Resource("d", "alice", "t4", 6));
  CHECK(cache.SetActivity("d", 3, "2026-01-01T00:00:00Z", &updated));
  cache.OnEvent(kube::WatchEventType::kModified, Resource("d", "alice", "t4", 7));
  CHECK(cache.Get("d")->session.active_connections() == 3);
}

TEST_CASE("a subscriber that falls behind overflows instead of buffering") {
  SessionCache cache(nullptr, 3);
  pb::SessionEvent snapshot;
  auto slow = cache.Subscribe("", &snapshot);
  for (int i = 0; i < 5; ++i)
    cache.OnEvent(kube::WatchEventType::kAdded, Resource("s" + std::to_string(i), "u", "t", i));
  CHECK(slow->overflowed());
  pb::SessionEvent event;
  CHECK_FALSE(slow->Pop(&event, std::chrono::milliseconds(1)));
  slow.reset();
  auto next = cache.Subscribe("", &snapshot);
  CHECK(snapshot.sessions_size() == 5);
}

}  // namespace ss::session
