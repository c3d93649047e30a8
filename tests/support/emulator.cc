#include "emulator.h"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace ss::kube::testing {
namespace {

std::string EmulatorBinary() {
  const char* binary = std::getenv("KUBE_EMULATOR_BIN");
  if (binary == nullptr || *binary == '\0') {
    throw std::runtime_error("KUBE_EMULATOR_BIN is not set");
  }
  return binary;
}

}  // namespace

Emulator::Emulator(EmulatorOptions options)
    : options_(std::move(options)), dir_(ss::test::MakeTempDir("kube-emulator-")) {
  kubeconfig_ = dir_ / "kubeconfig";
  port_ = ss::test::FreePort();
  token_ = "test-token-" + std::to_string(port_);
  Start();
}

void Emulator::Stop() {
  if (process_) {
    process_->Stop();
    process_.reset();
  }
}

void Emulator::Start() {
  std::filesystem::remove(kubeconfig_);
  const EmulatorOptions& options = options_;
  ss::test::ProcessOptions process;
  process.binary = EmulatorBinary();
  process.args = {"--port",
                  std::to_string(port_),
                  "--state-dir",
                  (dir_ / "state").string(),
                  "--kubeconfig-out",
                  kubeconfig_.string(),
                  "--token",
                  token_,
                  "--watch-window",
                  std::to_string(options.watch_window),
                  "--bookmark-interval-ms",
                  std::to_string(options.bookmark_interval_ms),
                  "--pod-start-delay-ms",
                  std::to_string(options.pod_start_delay_ms),
                  "--log-interval-ms",
                  std::to_string(options.log_interval_ms),
                  "--log-level",
                  "warn"};
  if (options.gone_as_event) {
    process.args.push_back("--gone-as-event");
  }
  process.args.insert(process.args.end(), options.extra_args.begin(), options.extra_args.end());
  process.env = {{"PATH", "/usr/bin:/bin"}};
  process.log_path = dir_ / "emulator.log";
  process_ = std::make_unique<ss::test::Process>(process);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(kubeconfig_)) {
    if (!process_->Running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("kube-emulator did not start: " + process_->LogContents());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!process_->WaitForPort(port_)) {
    throw std::runtime_error("kube-emulator does not listen: " + process_->LogContents());
  }
}

std::pair<int, std::string> Emulator::Kubectl(const std::string& args) const {
  return Run("kubectl --kubeconfig '" + kubeconfig_.string() + "' " + args);
}

std::pair<int, std::string> Emulator::Helm(const std::string& args) const {
  const std::string home = (dir_ / "helm").string();
  return Run("HELM_CONFIG_HOME='" + home + "/config' HELM_CACHE_HOME='" + home +
             "/cache' HELM_DATA_HOME='" + home + "/data' helm --kubeconfig '" +
             kubeconfig_.string() + "' " + args);
}

std::filesystem::path Emulator::KubeconfigWithToken(const std::string& name,
                                                    const std::string& token) const {
  std::string content = ss::test::ReadFile(kubeconfig_);
  const auto at = content.find(token_);
  if (at == std::string::npos)
    throw std::runtime_error("the emulator's kubeconfig holds no token");
  content.replace(at, token_.size(), token);
  const auto path = dir_ / (name + ".kubeconfig");
  std::ofstream(path) << content;
  return path;
}

std::pair<int, std::string> Emulator::Run(const std::string& shell_command) const {
  const std::string command = shell_command + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run " + shell_command);
  }
  std::string output;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, read);
  }
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string Emulator::CaPem() const {
  return ss::test::ReadFile(dir_ / "state" / "ca.crt");
}

Config Emulator::ClientConfig() const {
  auto config = KubeconfigConfig(kubeconfig_.string());
  if (!config) {
    throw std::runtime_error("emulator kubeconfig: " + config.error().ToString());
  }
  return *config;
}

void ApplySessionCrd(Client& client) {
  const nlohmann::json open = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  const nlohmann::json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "sessions.stream.streamspace.io"}}},
      {"spec",
       {{"group", "stream.streamspace.io"},
        {"scope", "Namespaced"},
        {"names",
         {{"plural", "sessions"},
          {"singular", "session"},
          {"kind", "Session"},
          {"shortNames", {"ss"}}}},
        {"versions",
         {{{"name", "v1alpha1"},
           {"served", true},
           {"storage", true},
           {"subresources", {{"status", nlohmann::json::object()}}},
           {"schema",
            {{"openAPIV3Schema",
              {{"type", "object"}, {"properties", {{"spec", open}, {"status", open}}}}}}}}}}}}};
  auto created = client.Create(resources::kCustomResourceDefinitions, "", crd);
  if (!created && !created.error().IsAlreadyExists()) {
    throw std::runtime_error("cannot create the Session CRD: " + created.error().ToString());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!client.List(resources::kSessions, "default", {})) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the Session CRD is not served");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

nlohmann::json SessionObject(const std::string& ns, const std::string& name,
                             const std::string& user) {
  return {{"apiVersion", "stream.streamspace.io/v1alpha1"},
          {"kind", "Session"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"user", user}}}}},
          {"spec", {{"user", user}, {"template", "firefox"}, {"state", "running"}}}};
}

}  // namespace ss::kube::testing
