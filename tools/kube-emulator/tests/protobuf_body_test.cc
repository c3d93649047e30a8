#include "protobuf_body.h"

#include <catch2/catch.hpp>

using kubeemu::Json;

namespace {

std::string Varint(std::uint64_t n) {
  std::string out;
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  return out + static_cast<char>(n);
}

std::string Bytes(int field, const std::string& data) {
  return Varint(static_cast<std::uint64_t>(field) << 3 | 2) + Varint(data.size()) + data;
}

std::string Number(int field, std::uint64_t n) {
  return Varint(static_cast<std::uint64_t>(field) << 3) + Varint(n);
}

std::string Envelope(const std::string& api_version, const std::string& kind,
                     const std::string& raw) {
  return std::string("k8s\0", 4) + Bytes(1, Bytes(1, api_version) + Bytes(2, kind)) + Bytes(2, raw);
}

}  // namespace

TEST_CASE("a protobuf ConfigMap decodes to its JSON form") {
  const std::string meta =
      Bytes(1, "settings") + Bytes(3, "") + Bytes(11, Bytes(1, "app") + Bytes(2, "web"));
  const std::string raw =
      Bytes(1, meta) + Bytes(2, Bytes(1, "key") + Bytes(2, "value")) + Number(99, 7);
  const auto object = kubeemu::DecodeProtobufObject(Envelope("v1", "ConfigMap", raw));
  REQUIRE(object);
  CHECK((*object)["kind"] == "ConfigMap");
  CHECK((*object)["metadata"]["name"] == "settings");
  CHECK_FALSE((*object)["metadata"].contains("namespace"));
  CHECK((*object)["metadata"]["labels"]["app"] == "web");
  CHECK((*object)["data"]["key"] == "value");
}

TEST_CASE("a protobuf Deployment keeps zero replicas and int-or-string values") {
  const std::string spec = Number(1, 0) + Bytes(2, Bytes(1, Bytes(1, "app") + Bytes(2, "x")));
  const std::string raw = Bytes(1, Bytes(1, "x")) + Bytes(2, spec);
  const auto deployment = kubeemu::DecodeProtobufObject(Envelope("apps/v1", "Deployment", raw));
  REQUIRE(deployment);
  CHECK((*deployment)["spec"]["replicas"] == 0);
  CHECK((*deployment)["spec"]["selector"]["matchLabels"]["app"] == "x");
  const std::string pdb_spec = Bytes(1, Number(1, 1) + Bytes(3, "50%"));
  const auto pdb = kubeemu::DecodeProtobufObject(
      Envelope("policy/v1", "PodDisruptionBudget", Bytes(2, pdb_spec)));
  REQUIRE(pdb);
  CHECK((*pdb)["spec"]["minAvailable"] == "50%");
}

TEST_CASE("unknown kinds and truncated bodies are refused") {
  CHECK_FALSE(kubeemu::DecodeProtobufObject(Envelope("batch/v1", "Job", "")));
  CHECK_FALSE(
      kubeemu::DecodeProtobufObject(Envelope("v1", "ConfigMap", Bytes(1, "x")).substr(0, 12)));
  CHECK_FALSE(kubeemu::DecodeProtobufObject("{}"));
}
