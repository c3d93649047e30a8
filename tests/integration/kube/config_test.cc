// Configuration against the emulator over HTTPS: in-cluster (token file re-read as it rotates
// and after a 401, ca.crt, namespace), kubeconfig (CA data and file, client certificate and key
// data, colon lists, contexts, insecure-skip-tls-verify) and a CA that does not match.
#include <cpprest/asyncrt_utils.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "emulator.h"
#include "kube/client.h"
#include "kube/environment.h"

namespace ss::kube::testing {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

std::string Base64(const std::string& text) {
  return utility::conversions::to_base64(std::vector<unsigned char>(text.begin(), text.end()));
}

std::string Kubeconfig(const std::string& server, const std::string& cluster_fields,
                       const std::string& user_fields, const std::string& current = "main") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: " + current +
         "\nclusters:\n- name: c\n  cluster:\n    server: " + server + "\n" + cluster_fields +
         "users:\n- name: u\n  user:\n" + user_fields +
         "contexts:\n- name: main\n  context: {cluster: c, user: u, namespace: team-a}\n"
         "- name: other\n  context: {cluster: c, user: u, namespace: team-b}\n";
}

std::string Server(const Emulator& emulator) {
  return "https://127.0.0.1:" + std::to_string(emulator.port());
}

bool CanListNodes(const Config& config) {
  return MakeClient(config)->List(resources::kNodes, "", {}).ok();
}

}  // namespace

TEST_CASE("in-cluster config re-reads a rotated token, after a 401 and periodically", "[config]") {
  Emulator emulator;
  const fs::path account = emulator.dir() / "serviceaccount";
  fs::create_directories(account);
  WriteFile(account / "ca.crt", emulator.CaPem());
  WriteFile(account / "namespace", "streamspace\n");
  WriteFile(account / "token", "expired-token\n");
  setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", std::to_string(emulator.port()).c_str(), 1);
  auto config = InClusterConfig(account.string());
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  REQUIRE(config.ok());
  CHECK(config->default_namespace == "streamspace");
  CHECK(config->server == Server(emulator));
  config->token_reread_interval = std::chrono::milliseconds(300);
  auto client = MakeClient(*config);

  auto refused = client->Get(resources::kNamespaces, "", "streamspace");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().IsUnauthorized());

  // Rotated: the next call still holds the old token, gets a 401, re-reads and succeeds.
  WriteFile(account / "token", emulator.token() + "\n");
  CHECK(client->Get(resources::kNamespaces, "", "streamspace").ok());

  // Rotated away: picked up by the periodic re-read, without any 401 to prompt it.
  WriteFile(account / "token", "revoked-token\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(client->Get(resources::kNamespaces, "", "streamspace").error().IsUnauthorized());
  WriteFile(account / "token", emulator.token() + "\n");
  CHECK(client->Get(resources::kNamespaces, "", "streamspace").ok());
}

TEST_CASE("in-cluster config needs the service environment and files", "[config]") {
  unsetenv("KUBERNETES_SERVICE_HOST");
  auto missing = InClusterConfig("/nonexistent");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().reason == Error::kReasonConfig);
}

TEST_CASE("kubeconfig: CA data, client certificate data and token over HTTPS", "[config]") {
  Emulator emulator;
  // The emulator authenticates by bearer token and does not ask for a client certificate; this
  // checks that certificate and key data are decoded, loaded and offered in the handshake.
  const fs::path dir = emulator.dir();
  const std::string make_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=streamspace-test -keyout " +
      (dir / "client.key").string() + " -out " + (dir / "client.crt").string() + " >/dev/null 2>&1";
  REQUIRE(std::system(make_cert.c_str()) == 0);
  const std::string cert = ss::test::ReadFile(dir / "client.crt");
  const std::string key = ss::test::ReadFile(dir / "client.key");
  WriteFile(dir / "with-data.yaml",
            Kubeconfig(Server(emulator),
                       "    certificate-authority-data: " + Base64(emulator.CaPem()) + "\n",
                       "    client-certificate-data: " + Base64(cert) + "\n    client-key-data: " +
                           Base64(key) + "\n    token: " + emulator.token() + "\n"));
  auto config = KubeconfigConfig((dir / "with-data.yaml").string());
  REQUIRE(config.ok());
  CHECK(config->default_namespace == "team-a");
  CHECK(config->client_cert_pem == cert);
  CHECK(config->client_key_pem == key);
  auto client = MakeClient(*config);
  CHECK(client->Get(resources::kNamespaces, "", "default").ok());
  WatchOptions short_watch;
  short_watch.timeout_seconds = 1;
  CHECK(client->Watch(resources::kNamespaces, "", short_watch, [](WatchEvent&) { return false; })
            .ok());

  // Files named relative to the kubeconfig, the other context, and a colon list whose first
  // file only picks the context.
  fs::create_directories(dir / "sub");
  WriteFile(dir / "sub" / "ca.pem", emulator.CaPem());
  WriteFile(dir / "sub" / "files.yaml",
            Kubeconfig(Server(emulator), "    certificate-authority: ca.pem\n",
                       "    client-certificate: ../client.crt\n    client-key: ../client.key\n"
                       "    token: " +
                           emulator.token() + "\n"));
  WriteFile(dir / "picker.yaml", "apiVersion: v1\nkind: Config\ncurrent-context: other\n");
  auto merged =
      KubeconfigConfig((dir / "missing.yaml").string() + ":" + (dir / "picker.yaml").string() +
                       ":" + (dir / "sub" / "files.yaml").string());
  REQUIRE(merged.ok());
  CHECK(merged->default_namespace == "team-b");
  CHECK(CanListNodes(*merged));
  setenv("KUBECONFIG",
         ((dir / "picker.yaml").string() + ":" + (dir / "sub" / "files.yaml").string()).c_str(), 1);
  auto from_env = LoadConfig();
  unsetenv("KUBECONFIG");
  REQUIRE(from_env.ok());
  CHECK(from_env->default_namespace == "team-b");
  auto named = KubeconfigConfig((dir / "sub" / "files.yaml").string(), "main");
  REQUIRE(named.ok());
  CHECK(named->default_namespace == "team-a");
}

TEST_CASE("kubeconfig: an unknown CA fails, insecure-skip-tls-verify skips it", "[config]") {
  Emulator emulator;
  Emulator stranger;  // its CA did not sign the first emulator's certificate
  const fs::path dir = emulator.dir();
  WriteFile(dir / "wrong-ca.yaml",
            Kubeconfig(Server(emulator),
                       "    certificate-authority-data: " + Base64(stranger.CaPem()) + "\n",
                       "    token: " + emulator.token() + "\n"));
  auto wrong = KubeconfigConfig((dir / "wrong-ca.yaml").string());
  REQUIRE(wrong.ok());
  auto refused = MakeClient(*wrong)->List(resources::kNodes, "", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().IsTransport());
  auto refused_stream =
      MakeClient(*wrong)->Watch(resources::kNodes, "", {}, [](WatchEvent&) { return false; });
  CHECK(refused_stream.error().IsTransport());

  WriteFile(dir / "insecure.yaml",
            Kubeconfig(Server(emulator), "    insecure-skip-tls-verify: true\n",
                       "    token: " + emulator.token() + "\n"));
  auto insecure = KubeconfigConfig((dir / "insecure.yaml").string());
  REQUIRE(insecure.ok());
  CHECK(insecure->insecure_skip_tls_verify);
  CHECK(CanListNodes(*insecure));

  WriteFile(dir / "broken.yaml", "current-context: nowhere\ncontexts: []\n");
  auto broken = KubeconfigConfig((dir / "broken.yaml").string());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().reason == Error::kReasonConfig);
}

TEST_CASE("at start, a kubeconfig not written yet is waited for, up to KUBE_START_TIMEOUT",
          "[config]") {
  Emulator emulator;
  const fs::path late = emulator.dir() / "late-kubeconfig";
  setenv("KUBECONFIG", late.c_str(), 1);
  const auto variables = ClusterVariables("test");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    fs::copy_file(emulator.kubeconfig(), late);
  });
  const auto client =
      ClientFromEnvironment(core::Config::FromValues(variables, {{"KUBE_START_TIMEOUT", "10s"}}));
  writer.join();
  CHECK(client->List(resources::kNodes, "", {}).ok());

  fs::remove(late);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(
      ClientFromEnvironment(core::Config::FromValues(variables, {{"KUBE_START_TIMEOUT", "1s"}})),
      std::runtime_error);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds(1));
  unsetenv("KUBECONFIG");
}

}  // namespace ss::kube::testing
