#include "validation.h"

#include <catch2/catch.hpp>

#include "label_selector.h"

namespace ss::nodes {

TEST_CASE("label keys follow Kubernetes' syntax", "[validation]") {
  for (const char* key :
       {"team", "a.b/c", "example.com/gpu-pool", "A_b.c-9", "x", "streamspace.io/pool"}) {
    INFO(key);
    CHECK(CheckLabelKey(key).ok());
  }
  const std::string long_name(64, 'a');
  std::string long_prefix(256, 'a');
  long_prefix[254] = '/';
  for (const std::string& key :
       {std::string(""), std::string("-team"), std::string("team-"), std::string("a b"),
        std::string("a/b/c"), std::string("Upper.Case/x"), std::string("/x"), std::string("a/"),
        long_name, long_prefix, std::string("a..b/c"), std::string("é")}) {
    INFO(key);
    CHECK(CheckLabelKey(key).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  CHECK(CheckLabelKey(std::string(63, 'a')).ok());
}

TEST_CASE("label values may be empty, never spaced", "[validation]") {
  CHECK(CheckLabelValue("").ok());
  CHECK(CheckLabelValue("v1.2_x-y").ok());
  CHECK_FALSE(CheckLabelValue("has space").ok());
  CHECK_FALSE(CheckLabelValue("-x").ok());
  CHECK_FALSE(CheckLabelValue(std::string(64, 'v')).ok());
  CHECK_FALSE(CheckLabelValue("a/b").ok());
}

TEST_CASE("Kubernetes' own prefixes are refused", "[validation]") {
  for (const char* key : {"kubernetes.io/hostname", "node.kubernetes.io/instance-type", "k8s.io/x",
                          "node-role.kubernetes.io/worker", "sub.k8s.io/y"}) {
    INFO(key);
    CHECK(IsProtectedKey(key));
    CHECK(CheckWritableKey(key).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  for (const char* key : {"notkubernetes.io/x", "example.com/kubernetes.io", "team",
                          "nvidia.com/gpu.product", "kubernetes.io.example.com/x"}) {
    INFO(key);
    CHECK_FALSE(IsProtectedKey(key));
  }
}

TEST_CASE("taint effects are the three of Kubernetes", "[validation]") {
  CHECK(CheckTaintEffect("NoSchedule").ok());
  CHECK(CheckTaintEffect("PreferNoSchedule").ok());
  CHECK(CheckTaintEffect("NoExecute").ok());
  CHECK_FALSE(CheckTaintEffect("noschedule").ok());
  CHECK_FALSE(CheckTaintEffect("").ok());
  CHECK_FALSE(CheckTaintEffect("NoEvict").ok());
}

TEST_CASE("node names, page sizes and tokens", "[validation]") {
  CHECK(CheckNodeName("ip-10-0-1-2.ec2.internal").ok());
  CHECK_FALSE(CheckNodeName("Node_A").ok());
  CHECK_FALSE(CheckNodeName("").ok());
  int size = 0;
  CHECK(rpc::CheckPageSize(0, &size).ok());
  CHECK(size == 50);
  CHECK(rpc::CheckPageSize(500, &size).ok());
  CHECK_FALSE(rpc::CheckPageSize(501, &size).ok());
  CHECK_FALSE(rpc::CheckPageSize(-1, &size).ok());
  std::string name;
  CHECK(DecodePageToken(EncodePageToken("node-a"), &name));
  CHECK(name == "node-a");
  CHECK_FALSE(DecodePageToken("!!", &name));
  CHECK_FALSE(DecodePageToken(EncodePageToken("Not A Name"), &name));
}

TEST_CASE("label selectors", "[validation]") {
  google::protobuf::Map<std::string, std::string> labels;
  labels["tier"] = "gpu";
  labels["topology.kubernetes.io/zone"] = "us-east-1a";
  const auto matches = [&](const char* text) {
    std::string error;
    const auto selector = LabelSelector::Parse(text, &error);
    REQUIRE(selector);
    return selector->Matches(labels);
  };
  CHECK(matches(""));
  CHECK(matches("tier=gpu"));
  CHECK(matches("tier==gpu"));
  CHECK_FALSE(matches("tier!=gpu"));
  CHECK(matches("tier in (cpu, gpu)"));
  CHECK_FALSE(matches("tier notin (gpu)"));
  CHECK(matches("tier,topology.kubernetes.io/zone=us-east-1a"));
  CHECK(matches("!missing"));
  CHECK_FALSE(matches("missing"));
  CHECK_FALSE(matches("tier=gpu,missing"));
  std::string error;
  CHECK_FALSE(LabelSelector::Parse("tier in (gpu", &error));
  CHECK_FALSE(LabelSelector::Parse("bad key=x", &error));
  CHECK_FALSE(LabelSelector::Parse("tier=has space", &error));
  CHECK_FALSE(LabelSelector::Parse("a=b,,c", &error));
}

TEST_CASE("a key from the path keeps its slash however it travelled", "[validation]") {
  CHECK(KeyFromPath("a.b/c") == "a.b/c");
  CHECK(KeyFromPath("a.b%2Fc") == "a.b/c");
  CHECK(KeyFromPath("a.b%2fc") == "a.b/c");
  CHECK(KeyFromPath("plain") == "plain");
  // Not a slash: left for CheckLabelKey to refuse.
  CHECK(KeyFromPath("a%2") == "a%2");
  CHECK(KeyFromPath("a%41") == "a%41");
}

}  // namespace ss::nodes
