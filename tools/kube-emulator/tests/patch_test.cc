#include "patch.h"

#include <catch2/catch.hpp>

using kubeemu::Json;

TEST_CASE("strategic merge patch merges containers by name") {
  const Json pod = Json::parse(R"({"spec":{"containers":[
      {"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}})");
  const Json patch = Json::parse(R"({"spec":{"containers":[{"name":"b","image":"b:2"}]}})");
  const Json out = kubeemu::ApplyStrategicMergePatch(pod, patch);
  REQUIRE(out["spec"]["containers"].size() == 2);
  CHECK(out["spec"]["containers"][0]["image"] == "a:1");
  CHECK(out["spec"]["containers"][1]["image"] == "b:2");
}

TEST_CASE("strategic merge patch deletes a list element with $patch: delete") {
  const Json pod = Json::parse(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})");
  const Json patch = Json::parse(R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})");
  const Json out = kubeemu::ApplyStrategicMergePatch(pod, patch);
  REQUIRE(out["spec"]["containers"].size() == 1);
  CHECK(out["spec"]["containers"][0]["name"] == "b");
}

TEST_CASE("strategic merge patch replaces lists without a merge key and removes nulls") {
  const Json node = Json::parse(R"({"spec":{"unschedulable":true,"podCIDRs":["a","b"]}})");
  const Json patch = Json::parse(R"({"spec":{"unschedulable":null,"podCIDRs":["c"]}})");
  const Json out = kubeemu::ApplyStrategicMergePatch(node, patch);
  CHECK_FALSE(out["spec"].contains("unschedulable"));
  CHECK(out["spec"]["podCIDRs"] == Json::array({"c"}));
}

TEST_CASE("merge patch replaces lists and JSON patch reports failures") {
  const Json obj = Json::parse(R"({"a":[1,2],"b":{"c":1}})");
  CHECK(kubeemu::ApplyMergePatch(obj, Json::parse(R"({"a":[3]})"))["a"] == Json::array({3}));
  std::string error;
  const auto ok = kubeemu::ApplyJsonPatch(
      obj, Json::parse(R"([{"op":"replace","path":"/b/c","value":2}])"), error);
  REQUIRE(ok);
  CHECK((*ok)["b"]["c"] == 2);
  CHECK_FALSE(kubeemu::ApplyJsonPatch(obj, Json::parse(R"([{"op":"remove","path":"/x"}])"), error));
  CHECK_FALSE(error.empty());
}
