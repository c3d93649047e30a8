#include <catch2/catch.hpp>

#include "object_store.h"

using kubeemu::Json;
using kubeemu::ObjectStore;

namespace {
Json Object(const std::string& name) {
  return {{"metadata", {{"name", name}, {"namespace", "default"}}}};
}
}  // namespace

TEST_CASE("every write takes the next resourceVersion") {
  ObjectStore store(10);
  const auto v1 = std::stoull(
      store.Put("/pods", Object("a"))["metadata"]["resourceVersion"].get<std::string>());
  const auto v2 = std::stoull(
      store.Put("/pods", Object("b"))["metadata"]["resourceVersion"].get<std::string>());
  CHECK(v2 == v1 + 1);
  CHECK(store.List("/pods", "default").size() == 2);
  store.Erase("/pods", "default", "a");
  CHECK(store.Get("/pods", "default", "a") == nullptr);
  const auto events = store.EventsAfter(v1, "/pods");
  REQUIRE(events.size() == 2);
  CHECK(events[0]->type == "ADDED");
  CHECK(events[1]->type == "DELETED");
}

TEST_CASE("a watch from before the history window is too old") {
  ObjectStore store(2);
  const auto first = store.Version();
  for (int i = 0; i < 5; ++i) {
    store.Put("/pods", Object("p" + std::to_string(i)));
  }
  CHECK(store.TooOld(first));
  CHECK_FALSE(store.TooOld(store.Version() - 1));
}

TEST_CASE("a snapshot restores objects and the version counter") {
  ObjectStore store(10);
  store.Put("/pods", Object("a"));
  ObjectStore restored(10);
  restored.Restore(store.Snapshot());
  CHECK(restored.Version() == store.Version());
  CHECK(restored.Get("/pods", "default", "a") != nullptr);
}
