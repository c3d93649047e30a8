// The parts of the client that need no server: paths, errors, results, config parsing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kube/cancellation.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/error.h"
#include "kube/resource.h"

namespace ss::kube {
namespace {

namespace fs = std::filesystem;

fs::path TempDir() {
  std::string pattern = (fs::temp_directory_path() / "kube-unit-XXXXXX").string();
  return mkdtemp(pattern.data());
}

}  // namespace

TEST_CASE("resource paths for core, grouped, cluster-scoped and subresources") {
  CHECK(resources::kPods.Path("default") == "/api/v1/namespaces/default/pods");
  CHECK(resources::kPods.Path("ns", "p", "log") == "/api/v1/namespaces/ns/pods/p/log");
  CHECK(resources::kPods.Path("") == "/api/v1/pods");
  CHECK(resources::kNodes.Path("ignored", "n1") == "/api/v1/nodes/n1");
  CHECK(resources::kDeployments.Path("a", "web") == "/apis/apps/v1/namespaces/a/deployments/web");
  CHECK(resources::kSessions.ApiVersion() == "stream.streamspace.io/v1alpha1");
  CHECK(resources::kPods.ApiVersion() == "v1");
  CHECK(IsCustomResource(resources::kSessions));
  CHECK_FALSE(IsCustomResource(resources::kLeases));
  CHECK_FALSE(IsCustomResource(resources::kPods));
}

TEST_CASE("errors carry the Status reason, code, message and causes") {
  const auto error = ErrorFromResponse(
      429, R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests",
              "message":"Cannot evict pod as it would violate the pod's disruption budget.",
              "code":429,"details":{"causes":[{"reason":"DisruptionBudget","message":"x"}]}})");
  CHECK(error.http_status == 429);
  CHECK(error.code == 429);
  CHECK(error.reason == "TooManyRequests");
  CHECK(error.IsDisruptionBudget());
  REQUIRE(error.causes.size() == 1);
  CHECK(error.causes[0].reason == "DisruptionBudget");

  const auto gone_event = ErrorFromResponse(
      410, R"({"kind":"Status","status":"Failure","reason":"Expired","code":410})");
  CHECK(gone_event.IsGone());
  const auto plain = ErrorFromResponse(503, "upstream connect error");
  CHECK(plain.reason == "ServiceUnavailable");
  CHECK(plain.message == "upstream connect error");
  const auto conflict = ErrorFromResponse(409, R"({"kind":"Status","reason":"Conflict"})");
  CHECK(conflict.IsConflict());
  CHECK_FALSE(conflict.IsAlreadyExists());
  CHECK(TransportError(Error::kReasonTimeout, "slow").IsTimeout());
  CHECK(TransportError(Error::kReasonCancelled, "").IsCancelled());
}

TEST_CASE("Result holds a value or an error") {
  Result<int> value = 3;
  CHECK(value.ok());
  CHECK(*value == 3);
  Result<int> failed = ErrorFromResponse(404, "");
  CHECK_FALSE(failed.ok());
  CHECK(failed.error().IsNotFound());
  Result<void> done;
  CHECK(done.ok());
  Result<void> undone = ErrorFromResponse(500, "");
  CHECK(undone.error().http_status == 500);
}

TEST_CASE("a cancellation reaches a hook registered before or after it") {
  Cancellation cancellation;
  int interrupted = 0;
  {
    Cancellation::Hook hook(&cancellation, [&] { ++interrupted; });
    cancellation.Cancel();
  }
  CHECK(interrupted == 1);
  Cancellation::Hook late(&cancellation, [&] { ++interrupted; });
  CHECK(interrupted == 2);
  CHECK(cancellation.IsCancelled());
}

TEST_CASE("kubeconfig parsing: contexts, base64 data, relative files, errors") {
  const fs::path dir = TempDir();
  std::ofstream(dir / "ca.pem") << "CA PEM";
  std::ofstream(dir / "config") << R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster: {server: "https://10.0.0.1:6443/", certificate-authority: ca.pem}
- name: prod-cluster
  cluster: {server: "https://prod:443", certificate-authority-data: UFJPRCBDQQ==, insecure-skip-tls-verify: true}
users:
- name: dev-user
  user: {token: abc}
- name: prod-user
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user}
- name: prod
  context: {cluster: prod-cluster, user: prod-user, namespace: live}
)";
  auto dev = KubeconfigConfig((dir / "config").string());
  REQUIRE(dev.ok());
  CHECK(dev->server == "https://10.0.0.1:6443/");
  CHECK(dev->ca_pem == "CA PEM");
  CHECK(dev->token == "abc");
  CHECK(dev->default_namespace == "default");
  auto prod = KubeconfigConfig((dir / "config").string(), "prod");
  REQUIRE(prod.ok());
  CHECK(prod->ca_pem == "PROD CA");
  CHECK(prod->client_cert_pem == "CERT");
  CHECK(prod->client_key_pem == "KEY");
  CHECK(prod->insecure_skip_tls_verify);
  CHECK(prod->default_namespace == "live");
  CHECK(KubeconfigConfig((dir / "config").string(), "nope").error().reason == Error::kReasonConfig);
  CHECK_FALSE(KubeconfigConfig((dir / "absent").string()).ok());
  std::ofstream(dir / "bad") << "clusters: [";
  CHECK(KubeconfigConfig((dir / "bad").string()).error().reason == Error::kReasonConfig);
  CHECK_THROWS_AS(MakeClient(Config{}), std::invalid_argument);
  fs::remove_all(dir);
}

}  // namespace ss::kube
