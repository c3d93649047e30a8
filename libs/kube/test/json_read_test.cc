#include "kube/json_read.h"

#include <catch2/catch.hpp>

namespace ss::kube {

using nlohmann::json;

const json kPod = json::parse(R"({
  "metadata": {"name": "web-0", "uid": 7, "labels": "mistyped"},
  "spec": {"nodeName": "node-a", "containers": [{"name": "web"}], "replicas": 3},
  "status": {"phase": "Running", "conditions": {"type": "Ready"}}
})");

TEST_CASE("Child reads a member of any type, and null for anything else") {
  CHECK(Child(kPod, "spec")["nodeName"] == "node-a");
  CHECK(Child(Child(kPod, "spec"), "replicas") == 3);
  CHECK(Child(kPod, "absent").is_null());
  CHECK(Child(Child(kPod, "absent"), "deeper").is_null());
  CHECK(Child(json::array({1}), "0").is_null());
  CHECK(Child(json("text"), "a").is_null());
  CHECK_FALSE(kPod.contains("absent"));
}

TEST_CASE("ObjectAt and ArrayAt read a mistyped or missing member as empty") {
  CHECK(ObjectAt(kPod, "spec").contains("nodeName"));
  CHECK(ObjectAt(ObjectAt(kPod, "metadata"), "labels") == json::object());
  CHECK(ObjectAt(ObjectAt(kPod, "absent"), "labels") == json::object());
  CHECK(ArrayAt(ObjectAt(kPod, "spec"), "containers").size() == 1);
  CHECK(ArrayAt(ObjectAt(kPod, "status"), "conditions") == json::array());
  CHECK(ArrayAt(kPod, "absent") == json::array());
}

TEST_CASE("scalars as text: strings as they are, numbers as they print, else empty") {
  CHECK(AsText(json("250m")) == "250m");
  CHECK(AsText(json(2)) == "2");
  CHECK(AsText(json(1.5)) == "1.5");
  CHECK(AsText(json(true)).empty());
  CHECK(AsText(json()).empty());
  CHECK(AsText(json::object()).empty());
  CHECK(StringAt(Child(kPod, "status"), "phase") == "Running");
  CHECK(StringAt(Child(kPod, "spec"), "replicas") == "3");
  CHECK(StringAt(Child(kPod, "spec"), "containers").empty());
  CHECK(StringAt(kPod, "absent").empty());
  CHECK(MetaString(kPod, "name") == "web-0");
  CHECK(MetaString(kPod, "uid") == "7");
  CHECK(MetaString(json::array(), "name").empty());
}

}  // namespace ss::kube
