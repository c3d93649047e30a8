#include "tables.h"

#include <catch2/catch.hpp>

using kubeemu::Json;

TEST_CASE("printer-column JSONPaths read fields and list items") {
  const Json object = {{"spec", {{"ports", {{{"port", 80}}, {{"port", 443}}}}, {"user", "alice"}}}};
  CHECK(kubeemu::EvalJsonPath(object, ".spec.user") == "alice");
  CHECK(kubeemu::EvalJsonPath(object, ".spec.ports[1].port") == 443);
  CHECK(kubeemu::EvalJsonPath(object, ".spec.ports[5].port").is_null());
  CHECK(kubeemu::EvalJsonPath(object, ".status.phase").is_null());
}

TEST_CASE("a custom resource table has Name and its printer columns") {
  kubeemu::ResourceType type;
  type.kind = "Session";
  type.schema = Json::object();
  type.columns = {{"User", "string", ".spec.user", "", 0},
                  {"Phase", "string", ".status.phase", "", 0}};
  const Json session = {{"metadata", {{"name", "s1"}}}, {"spec", {{"user", "alice"}}}};
  const Json table = kubeemu::ToTable(type, {&session}, Json::object());
  REQUIRE(table["columnDefinitions"].size() == 3);
  CHECK(table["columnDefinitions"][0]["name"] == "Name");
  CHECK(table["rows"][0]["cells"] == Json::array({"s1", "alice", nullptr}));
  CHECK(table["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
}
