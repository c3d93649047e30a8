// Verbs, selectors, paging, patch types, conflicts and typed errors against the emulator.
#include <catch2/catch.hpp>
#include <set>

#include "emulator.h"
#include "kube/client.h"

namespace ss::kube::testing {
namespace {

using nlohmann::json;

json Lease(const std::string& name, const std::string& holder) {
  return {{"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec", {{"holderIdentity", holder}, {"leaseDurationSeconds", 15}}}};
}

json ConfigMap(const std::string& name, const std::string& tier) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"tier", tier}}}}},
          {"data", {{"k", name}}}};
}

}  // namespace

TEST_CASE("get, create, replace, patch, delete with typed errors", "[crud]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  REQUIRE(client->DefaultNamespace() == "default");
  const auto& leases = resources::kLeases;

  auto created = client->Create(leases, "default", Lease("leader", "a"));
  REQUIRE(created.ok());
  const std::string first_version = (*created)["metadata"]["resourceVersion"];
  auto duplicate = client->Create(leases, "default", Lease("leader", "a"));
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().IsAlreadyExists());
  CHECK(duplicate.error().http_status == 409);

  auto fetched = client->Get(leases, "default", "leader");
  REQUIRE(fetched.ok());
  CHECK((*fetched)["spec"]["holderIdentity"] == "a");

  auto merged = client->Patch(leases, "default", "leader", PatchType::kMerge,
                              {{"spec", {{"holderIdentity", "b"}}}});
  REQUIRE(merged.ok());
  CHECK((*merged)["spec"]["holderIdentity"] == "b");
  auto strategic = client->Patch(leases, "default", "leader", PatchType::kStrategicMerge,
                                 {{"spec", {{"leaseDurationSeconds", 30}}}});
  REQUIRE(strategic.ok());
  CHECK((*strategic)["spec"]["leaseDurationSeconds"] == 30);
  auto json_patch = client->Patch(
      leases, "default", "leader", PatchType::kJson,
      json::array({{{"op", "replace"}, {"path", "/spec/holderIdentity"}, {"value", "c"}}}));
  REQUIRE(json_patch.ok());
  CHECK((*json_patch)["spec"]["holderIdentity"] == "c");

  json stale = *created;  // carries the first resourceVersion
  stale["spec"]["holderIdentity"] = "stale";
  auto conflict = client->Replace(leases, "default", "leader", stale);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().IsConflict());
  CHECK(conflict.error().reason == "Conflict");
  CHECK(conflict.error().code == 409);
  CHECK_FALSE(conflict.error().message.empty());

  json fresh = *json_patch;
  fresh["spec"]["holderIdentity"] = "d";
  auto replaced = client->Replace(leases, "default", "leader", fresh);
  REQUIRE(replaced.ok());
  CHECK((*replaced)["metadata"]["resourceVersion"] != first_version);

  REQUIRE(client->Delete(leases, "default", "leader").ok());
  auto missing = client->Get(leases, "default", "leader");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().IsNotFound());
  CHECK(missing.error().reason == "NotFound");
  CHECK(missing.error().code == 404);
  auto missing_delete = client->Delete(leases, "default", "leader");
  CHECK(missing_delete.error().IsNotFound());
}

TEST_CASE("list with label and field selectors, limit and continue", "[crud]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  for (int i = 0; i < 5; ++i) {
    REQUIRE(client
                ->Create(resources::kConfigMaps, "default",
                         ConfigMap("cm-" + std::to_string(i), i < 3 ? "a" : "b"))
                .ok());
  }
  ListOptions by_label;
  by_label.label_selector = "tier=a";
  auto tier_a = client->List(resources::kConfigMaps, "default", by_label);
  REQUIRE(tier_a.ok());
  CHECK(tier_a->items.size() == 3);
  CHECK_FALSE(tier_a->resource_version.empty());

  ListOptions by_field;
  by_field.field_selector = "metadata.name=cm-4";
  auto one = client->List(resources::kConfigMaps, "default", by_field);
  REQUIRE(one.ok());
  REQUIRE(one->items.size() == 1);
  CHECK(one->items[0]["metadata"]["name"] == "cm-4");

  ListOptions paged;
  paged.label_selector = "tier in (a,b)";
  paged.limit = 2;
  std::set<std::string> names;
  int pages = 0;
  do {
    auto page = client->List(resources::kConfigMaps, "default", paged);
    REQUIRE(page.ok());
    CHECK(page->items.size() <= 2);
    for (const auto& item : page->items) {
      names.insert(item["metadata"]["name"].get<std::string>());
    }
    paged.continue_token = page->continue_token;
    ++pages;
  } while (!paged.continue_token.empty());
  CHECK(pages == 3);
  CHECK(names.size() == 5);

  ListOptions bad;
  bad.label_selector = "tier in (";
  auto invalid = client->List(resources::kConfigMaps, "default", bad);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().http_status == 400);
}

TEST_CASE("apps, policy and custom resources; merge patch and status", "[crud]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  const json deployment = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "web"}, {"namespace", "default"}}},
      {"spec",
       {{"replicas", 0},
        {"selector", {{"matchLabels", {{"app", "web"}}}}},
        {"template",
         {{"metadata", {{"labels", {{"app", "web"}}}}},
          {"spec", {{"containers", {{{"name", "web"}, {"image", "nginx"}}}}}}}}}}};
  REQUIRE(client->Create(resources::kDeployments, "default", deployment).ok());
  auto scaled = client->Patch(resources::kDeployments, "default", "web", PatchType::kStrategicMerge,
                              {{"spec", {{"replicas", 2}}}});
  REQUIRE(scaled.ok());
  CHECK((*scaled)["spec"]["replicas"] == 2);

  const json budget = {
      {"apiVersion", "policy/v1"},
      {"kind", "PodDisruptionBudget"},
      {"metadata", {{"name", "web"}, {"namespace", "default"}}},
      {"spec", {{"minAvailable", 1}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}}};
  REQUIRE(client->Create(resources::kPodDisruptionBudgets, "default", budget).ok());
  CHECK(client->Get(resources::kPodDisruptionBudgets, "default", "web").ok());

  ApplySessionCrd(*client);
  REQUIRE(client->Create(resources::kSessions, "default", SessionObject("default", "s1")).ok());
  auto hibernated = client->Patch(resources::kSessions, "default", "s1", PatchType::kMerge,
                                  {{"spec", {{"state", "hibernated"}}}});
  REQUIRE(hibernated.ok());
  CHECK((*hibernated)["spec"]["state"] == "hibernated");
  CHECK((*hibernated)["spec"]["user"] == "alice");
  auto refused = client->Patch(resources::kSessions, "default", "s1", PatchType::kStrategicMerge,
                               {{"spec", {{"state", "running"}}}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().http_status == 415);

  json with_status = *hibernated;
  with_status["status"] = {{"phase", "Hibernated"}};
  auto status = client->ReplaceStatus(resources::kSessions, "default", "s1", with_status);
  REQUIRE(status.ok());
  CHECK((*status)["status"]["phase"] == "Hibernated");
}

TEST_CASE("UpdateWithRetry re-reads and retries after a 409", "[crud]") {
  Emulator emulator;
  auto client = emulator.NewClient();
  auto other = emulator.NewClient();
  ApplySessionCrd(*client);
  REQUIRE(client->Create(resources::kSessions, "default", SessionObject("default", "s1")).ok());
  int calls = 0;
  auto updated =
      UpdateWithRetry(*client, resources::kSessions, "default", "s1", [&](json& session) {
        if (++calls == 1) {  // someone else writes between our read and our write
          REQUIRE(other
                      ->Patch(resources::kSessions, "default", "s1", PatchType::kMerge,
                              {{"metadata", {{"annotations", {{"touched", "yes"}}}}}})
                      .ok());
        }
        session["spec"]["state"] = "hibernated";
        return true;
      });
  REQUIRE(updated.ok());
  CHECK(calls == 2);
  auto stored = client->Get(resources::kSessions, "default", "s1");
  REQUIRE(stored.ok());
  CHECK((*stored)["spec"]["state"] == "hibernated");
  CHECK((*stored)["metadata"]["annotations"]["touched"] == "yes");

  int unchanged_calls = 0;
  auto untouched = UpdateWithRetry(*client, resources::kSessions, "default", "s1", [&](json&) {
    ++unchanged_calls;
    return false;
  });
  REQUIRE(untouched.ok());
  CHECK(unchanged_calls == 1);
  auto absent =
      UpdateWithRetry(*client, resources::kSessions, "default", "nope", [](json&) { return true; });
  CHECK(absent.error().IsNotFound());
}

}  // namespace ss::kube::testing
