#include "selectors.h"

#include <catch2/catch.hpp>

using kubeemu::FieldSelector;
using kubeemu::Json;
using kubeemu::LabelSelector;

TEST_CASE("label selectors support equality, sets and existence") {
  const Json labels = {{"app", "web"}, {"tier", "front"}};
  CHECK(LabelSelector::Parse("app=web")->Matches(labels));
  CHECK(LabelSelector::Parse("app==web,tier!=back")->Matches(labels));
  CHECK(LabelSelector::Parse("app in (web, api),tier")->Matches(labels));
  CHECK_FALSE(LabelSelector::Parse("app notin (web)")->Matches(labels));
  CHECK_FALSE(LabelSelector::Parse("!tier")->Matches(labels));
  CHECK(LabelSelector::Parse("")->Matches(labels));
  CHECK_FALSE(LabelSelector::Parse("app in (web"));
}

TEST_CASE("field selectors read dotted paths") {
  const Json pod = {{"metadata", {{"name", "p"}, {"namespace", "n"}}},
                    {"spec", {{"nodeName", "node-a"}}},
                    {"status", {{"phase", "Running"}}}};
  CHECK(FieldSelector::Parse("spec.nodeName=node-a,status.phase=Running")->Matches(pod));
  CHECK(FieldSelector::Parse("metadata.name!=q")->Matches(pod));
  CHECK_FALSE(FieldSelector::Parse("metadata.namespace=other")->Matches(pod));
  CHECK_FALSE(FieldSelector::Parse("nonsense"));
}
