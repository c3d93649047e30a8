// The whole platform for acceptance tests: a throw-away PostgreSQL and auth (AuthStack), the
// Kubernetes emulator with helm/streamspace/crds applied by kubectl (or the whole chart installed
// by helm, PlatformOptions::chart), any of the session, tracker, catalog and nodes services (each
// with its own database role, service secret and free ports), and the gateway routing to all of
// them. Everything is stopped by PID when the stack goes, also when a
// test fails; a failing test prints the tail of every log.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth_stack.h"
#include "emulator.h"

namespace ss::test {

struct ServiceSpec {
  // session, tracker, catalog or nodes: the binary is `<name>-service`.
  std::string name;
  int replicas = 1;
  // Added to (and overriding) what the stack gives every service.
  Environment env;
};

struct PlatformOptions {
  std::vector<ServiceSpec> services;
  bool gateway = true;
  // Added to the gateway's environment.
  Environment gateway_env;
  kube::testing::EmulatorOptions emulator;
  // ACCESS_TOKEN_TTL for auth ("" keeps its default).
  std::string access_token_ttl;
  // Installs helm/streamspace into the emulator with `helm install` (CRDs, ServiceAccounts,
  // RBAC, ... with no pod: every replica count 0) instead of applying the CRDs, and gives each
  // service that calls the Kubernetes API (session, catalog, nodes) the token of its own
  // ServiceAccount from that install, which the emulator authorizes with the chart's RBAC. auth
  // and tracker get no kubeconfig. SS_STACK_CHART=1 in the environment turns it on for every
  // stack: the helm.* runs of acceptance tests (tests/CMakeLists.txt).
  bool chart = false;
};

struct ServiceReplica {
  std::string name;
  int index = 0;
  int grpc_port = 0;
  int metrics_port = 0;
  Environment env;
  std::unique_ptr<Process> process;
  std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port); }
};

class PlatformStack {
 public:
  explicit PlatformStack(PlatformOptions options);
  ~PlatformStack();

  AuthStack& auth() { return *auth_; }
  kube::testing::Emulator& emulator() { return *emulator_; }
  PostgresInstance& postgres() { return auth_->postgres(); }
  HttpClient Api() const { return auth_->Api(); }
  int gateway_metrics_port() const { return auth_->gateway_metrics_port(); }

  // Sign-in helpers of AuthStack.
  Session LoginAdmin() { return auth_->Login("admin", auth_->admin_password()); }
  // Creates a user (role user) and signs in as them.
  Session NewUser(const std::string& username);

  ServiceReplica& service(const std::string& name, int index = 0);
  std::shared_ptr<grpc::Channel> Channel(const std::string& name, int index = 0);
  // Stops a replica (SIGKILL when `kill`, else SIGTERM) and starts it again on the same ports.
  void StopService(const std::string& name, int index = 0, bool kill = false);
  // Unless `wait`, returns without waiting for the replica to listen.
  void StartService(const std::string& name, int index = 0, bool wait = true);
  // A `service` token of the named service, for calling SERVICE methods from a test.
  std::string ServiceToken(const std::string& name);

  // The value of a Prometheus sample on a replica's metrics port: `series` is the metric name
  // with its labels as exposed, e.g. `session_watch_streams` or `x_total{route="a"}`. -1 when the
  // series is absent.
  double Metric(const std::string& name, int index, const std::string& series);
  double GatewayMetric(const std::string& series);

  // kubectl against the emulator (see Emulator::Kubectl).
  std::pair<int, std::string> Kubectl(const std::string& args) { return emulator_->Kubectl(args); }
  // Applies a YAML document with `kubectl apply -f`; fails the test when kubectl fails.
  void Apply(const std::string& yaml);

  // The chart's release name and namespace in chart mode.
  static constexpr const char* kRelease = "streamspace";
  static constexpr const char* kNamespace = "streamspace";

  void Remember(const std::string& secret) { auth_->Remember(secret); }
  void RequireNoSecretsInLogs() const { auth_->RequireNoSecretsInLogs(); }

 private:
  void Launch(ServiceReplica& replica);

  std::unique_ptr<kube::testing::Emulator> emulator_;
  std::unique_ptr<AuthStack> auth_;
  std::map<std::string, ServiceRole> roles_;
  std::map<std::string, std::vector<ServiceReplica>> services_;
};

// The body of a Template resource named `name` in namespace streamspace, as YAML.
std::string TemplateYaml(const std::string& name, const std::string& image = "nginx:1.27");

// The value of a sample in a Prometheus text exposition (-1 when absent).
double MetricValue(const std::string& exposition, const std::string& series);

}  // namespace ss::test
