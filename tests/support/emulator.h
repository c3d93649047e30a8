// The kube-emulator binary (KUBE_EMULATOR_BIN) on a free port with a temporary state dir and
// kubeconfig, stopped by PID when the fixture goes (also when a test fails).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kube/client.h"
#include "kube/config.h"
#include "process.h"

namespace ss::kube::testing {

struct EmulatorOptions {
  long watch_window = 1000;
  bool gone_as_event = false;
  long bookmark_interval_ms = 300;
  long pod_start_delay_ms = 200;
  long log_interval_ms = 100;
  std::vector<std::string> extra_args;
};

class Emulator {
 public:
  explicit Emulator(EmulatorOptions options = {});

  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& kubeconfig() const { return kubeconfig_; }
  int port() const { return port_; }
  const std::string& token() const { return token_; }
  std::string CaPem() const;

  // The configuration its kubeconfig describes.
  Config ClientConfig() const;
  ClientPtr NewClient() const { return MakeClient(ClientConfig()); }

  // Stops the emulator (SIGTERM; its state stays in its state dir).
  void Stop();
  // Starts it again on the same port with the same state, as after a control-plane restart.
  void Start();

  // Runs `kubectl --kubeconfig <ours> <args>` (args are passed to the shell as written);
  // returns the exit status and what it printed (stdout and stderr).
  std::pair<int, std::string> Kubectl(const std::string& args) const;
  // Runs `helm --kubeconfig <ours> <args>` the same way, with Helm's configuration and cache in
  // the emulator's folder.
  std::pair<int, std::string> Helm(const std::string& args) const;

  // A kubeconfig like ours that authenticates with `token` (a ServiceAccount's), written to
  // `<dir>/<name>.kubeconfig`; returns its path.
  std::filesystem::path KubeconfigWithToken(const std::string& name,
                                            const std::string& token) const;

 private:
  std::pair<int, std::string> Run(const std::string& command) const;

  EmulatorOptions options_;
  std::filesystem::path dir_;
  std::filesystem::path kubeconfig_;
  int port_ = 0;
  std::string token_;
  std::unique_ptr<ss::test::Process> process_;
};

// Applies a minimal Session CRD (stream.streamspace.io/v1alpha1) and waits until it serves.
void ApplySessionCrd(Client& client);

// A Session object named `name` in `ns`.
nlohmann::json SessionObject(const std::string& ns, const std::string& name,
                             const std::string& user = "alice");

}  // namespace ss::kube::testing
