#include "kube/names.h"

#include <catch2/catch.hpp>
#include <string>

namespace ss::kube {

TEST_CASE("a DNS label is 1-63 of [a-z0-9-], alphanumeric at both ends") {
  CHECK(IsDnsLabel("a"));
  CHECK(IsDnsLabel("a-1"));
  CHECK(IsDnsLabel("0abc"));
  CHECK(IsDnsLabel("vs-code2"));
  CHECK(IsDnsLabel(std::string(63, 'a')));
  CHECK_FALSE(IsDnsLabel(std::string(64, 'a')));
  CHECK_FALSE(IsDnsLabel(""));
  CHECK_FALSE(IsDnsLabel("-a"));
  CHECK_FALSE(IsDnsLabel("a-"));
  CHECK_FALSE(IsDnsLabel("A"));
  CHECK_FALSE(IsDnsLabel("a.b"));
  CHECK_FALSE(IsDnsLabel("a_b"));
}

TEST_CASE("a DNS subdomain is at most 253 characters of dot-separated labels") {
  CHECK(IsDnsSubdomain("a"));
  CHECK(IsDnsSubdomain("apps.example.org"));
  CHECK(IsDnsSubdomain("node-1.eu-west-1.compute.internal"));
  const std::string label(63, 'a');
  const std::string longest = label + "." + label + "." + label + "." + std::string(61, 'b');
  REQUIRE(longest.size() == 253);
  CHECK(IsDnsSubdomain(longest));
  CHECK_FALSE(IsDnsSubdomain(longest + "b"));
  CHECK_FALSE(IsDnsSubdomain(""));
  CHECK_FALSE(IsDnsSubdomain("apps..example"));
  CHECK_FALSE(IsDnsSubdomain("../etc"));
  CHECK_FALSE(IsDnsSubdomain(".a"));
  CHECK_FALSE(IsDnsSubdomain("a."));
  CHECK_FALSE(IsDnsSubdomain("a-.b"));
  CHECK_FALSE(IsDnsSubdomain("Apps.example"));
  CHECK_FALSE(IsDnsSubdomain("a/b"));
}

TEST_CASE("a label of a subdomain may be longer than 63 characters, as Kubernetes allows") {
  // apimachinery's IsDNS1123Subdomain checks the whole name's length only; the API server accepts
  // such a node or pod name, so we must be able to address it.
  CHECK(IsDnsSubdomain(std::string(64, 'a')));
  CHECK(IsDnsSubdomain("node." + std::string(100, 'a')));
}

}  // namespace ss::kube
