#include "platform_stack.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {
namespace {

// Every backend the gateway and the services may dial. One that the stack does not start gets
// an address where nothing listens, so that no test reaches a process outside it.
constexpr const char* kBackends[] = {"session", "tracker", "catalog", "nodes"};

std::string Upper(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// `<target> <path>` lines written by tests/CMakeLists.txt.
std::string BinaryOf(const std::string& target) {
  std::ifstream file(RequiredEnv("STREAMSPACE_BINARIES"));
  std::string name, path;
  while (file >> name >> path) {
    if (name == target)
      return path;
  }
  throw std::runtime_error(target + " is not built (not in $STREAMSPACE_BINARIES)");
}

// The services that call the Kubernetes API, each with its own ServiceAccount in the chart.
constexpr const char* kKubeClients[] = {"session", "catalog", "nodes"};

// `helm install` of the chart into the emulator with no pod, then a kubeconfig per Kubernetes
// client holding a token of its ServiceAccount (`kubectl create token`).
std::map<std::string, std::string> InstallChart(const kube::testing::Emulator& emulator) {
  std::string args = std::string("install ") + PlatformStack::kRelease +
                     " '" SS_SOURCE_DIR "/helm/streamspace' --namespace " +
                     PlatformStack::kNamespace +
                     " --create-namespace --set postgresql.enabled=false";
  for (const char* component : {"gateway", "auth", "session", "tracker", "catalog", "nodes"})
    args += std::string(" --set ") + component + ".replicas=0";
  const auto [installed, output] = emulator.Helm(args);
  if (installed != 0)
    throw std::runtime_error("helm install: " + output);
  std::map<std::string, std::string> kubeconfigs;
  for (const char* name : kKubeClients) {
    const std::string account = std::string(PlatformStack::kRelease) + "-" + name;
    auto [created, token] = emulator.Kubectl("create token " + account + " --namespace " +
                                             PlatformStack::kNamespace + " --duration 24h");
    if (created != 0)
      throw std::runtime_error("kubectl create token " + account + ": " + token);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
      token.pop_back();
    kubeconfigs[name] = emulator.KubeconfigWithToken(account, token).string();
  }
  return kubeconfigs;
}

}  // namespace

double MetricValue(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

std::string TemplateYaml(const std::string& name, const std::string& image) {
  return "apiVersion: stream.streamspace.io/v1alpha1\n"
         "kind: Template\n"
         "metadata:\n"
         "  name: " +
         name +
         "\n"
         "  namespace: streamspace\n"
         "spec:\n"
         "  displayName: " +
         name +
         "\n"
         "  description: A test application\n"
         "  category: Testing\n"
         "  baseImage: " +
         image +
         "\n"
         "  appType: webapp\n"
         "  defaultResources:\n"
         "    requests: {cpu: 500m, memory: 512Mi}\n"
         "    limits: {cpu: \"1\", memory: 1Gi}\n"
         "  ports:\n"
         "    - {name: http, containerPort: 8080, protocol: TCP}\n"
         "  webapp: {enabled: true, port: 8080, path: /}\n"
         "  tags: [test]\n";
}

PlatformStack::PlatformStack(PlatformOptions options) {
  emulator_ = std::make_unique<kube::testing::Emulator>(options.emulator);
  const char* chart_env = std::getenv("SS_STACK_CHART");
  const bool chart = options.chart || (chart_env != nullptr && std::string(chart_env) == "1");
  std::map<std::string, std::string> kubeconfigs;
  if (chart) {
    kubeconfigs = InstallChart(*emulator_);
  } else {
    const auto [applied, output] =
        emulator_->Kubectl("apply -f '" SS_SOURCE_DIR "/helm/streamspace/crds/'");
    if (applied != 0)
      throw std::runtime_error("kubectl apply -f helm/streamspace/crds: " + output);
    for (const char* name : kKubeClients)
      kubeconfigs[name] = emulator_->kubeconfig().string();
  }

  Environment addresses;
  for (const char* backend : kBackends)
    addresses[Upper(backend) + "_ADDR"] = "127.0.0.1:" + std::to_string(FreePort());
  for (const auto& spec : options.services) {
    auto& replicas = services_[spec.name];
    for (int i = 0; i < spec.replicas; ++i) {
      ServiceReplica replica;
      replica.name = spec.name;
      replica.index = i;
      replica.grpc_port = FreePort();
      replica.metrics_port = FreePort();
      replica.env = spec.env;
      replicas.push_back(std::move(replica));
    }
    addresses[Upper(spec.name) + "_ADDR"] = replicas.front().address();
  }

  // auth asks the session service for the quotas on its user list.
  StackOptions auth_options;
  auth_options.gateway = false;
  auth_options.access_token_ttl = options.access_token_ttl;
  auth_options.auth_env["SESSION_ADDR"] = addresses.at("SESSION_ADDR");
  for (const auto& spec : options.services)
    auth_options.service_clients.push_back(spec.name);
  auth_ = std::make_unique<AuthStack>(auth_options);

  for (auto& [name, replicas] : services_) {
    roles_.emplace(name, postgres().CreateServiceRole(name));
    Remember(roles_.at(name).password);
    for (auto& replica : replicas) {
      Environment env = BaseEnvironment();
      env.merge(postgres().ServiceEnvironment(roles_.at(name)));
      for (const auto& [key, value] : addresses)
        env[key] = value;
      env["GRPC_ADDR"] = replica.address();
      env["METRICS_PORT"] = std::to_string(replica.metrics_port);
      env["AUTH_ADDR"] = auth_->auth().front().address();
      env["SERVICE_SECRET"] = auth_->ServiceSecret(name);
      if (kubeconfigs.contains(name))
        env["KUBECONFIG"] = kubeconfigs.at(name);
      env["NAMESPACE"] = kNamespace;
      for (const auto& [key, value] : replica.env)
        env[key] = value;
      replica.env = std::move(env);
    }
  }
  // Replicas of a service start together, so that they race for migrations and leadership.
  for (auto& [name, replicas] : services_) {
    for (auto& replica : replicas)
      Launch(replica);
  }
  for (auto& [name, replicas] : services_) {
    for (auto& replica : replicas) {
      if (!replica.process->WaitForPort(replica.grpc_port)) {
        throw std::runtime_error(name + "-service did not start:\n" +
                                 replica.process->LogContents());
      }
    }
  }
  if (options.gateway) {
    Environment gateway_env = addresses;
    for (const auto& [key, value] : options.gateway_env)
      gateway_env[key] = value;
    auth_->StartGateway(gateway_env);
  }
}

PlatformStack::~PlatformStack() {
  for (auto& [name, replicas] : services_) {
    for (auto& replica : replicas) {
      if (replica.process)
        replica.process->Stop();
    }
  }
  if (std::uncaught_exceptions() > 0) {
    const std::string log = ReadFile(emulator_->dir() / "emulator.log");
    std::fprintf(stderr, "--- emulator.log (last 4 KiB) ---\n%s\n",
                 log.substr(log.size() > 4096 ? log.size() - 4096 : 0).c_str());
  }
}

void PlatformStack::Launch(ServiceReplica& replica) {
  const std::string log_name = replica.name + "-" + std::to_string(replica.index) + ".log";
  replica.process = std::make_unique<Process>(ProcessOptions{BinaryOf(replica.name + "-service"),
                                                             {},
                                                             replica.env,
                                                             auth_->log_dir() / log_name,
                                                             std::nullopt});
}

Session PlatformStack::NewUser(const std::string& username) {
  const Session admin = LoginAdmin();
  const auto [id, password] = auth_->CreateUser(admin.token, username);
  return auth_->Login(username, password);
}

ServiceReplica& PlatformStack::service(const std::string& name, int index) {
  return services_.at(name).at(static_cast<size_t>(index));
}

std::shared_ptr<grpc::Channel> PlatformStack::Channel(const std::string& name, int index) {
  return grpc::CreateChannel(service(name, index).address(), grpc::InsecureChannelCredentials());
}

void PlatformStack::StopService(const std::string& name, int index, bool kill) {
  auto& replica = service(name, index);
  if (replica.process) {
    replica.process->Stop(kill ? SIGKILL : SIGTERM);
    replica.process.reset();
  }
}

void PlatformStack::StartService(const std::string& name, int index, bool wait) {
  auto& replica = service(name, index);
  StopService(name, index);
  Launch(replica);
  if (wait && !replica.process->WaitForPort(replica.grpc_port)) {
    throw std::runtime_error(name + "-service did not restart:\n" + replica.process->LogContents());
  }
}

std::string PlatformStack::ServiceToken(const std::string& name) {
  auto stub = streamspace::auth::v1::AuthService::NewStub(auth_->AuthChannel());
  grpc::ClientContext context;
  streamspace::auth::v1::IssueServiceTokenRequest request;
  request.set_service(name);
  request.set_secret(auth_->ServiceSecret(name));
  streamspace::auth::v1::IssueServiceTokenResponse response;
  const grpc::Status status = stub->IssueServiceToken(&context, request, &response);
  if (!status.ok())
    throw std::runtime_error("IssueServiceToken(" + name + "): " + status.error_message());
  Remember(response.token());
  return response.token();
}

double PlatformStack::Metric(const std::string& name, int index, const std::string& series) {
  HttpClient metrics("127.0.0.1", service(name, index).metrics_port);
  return MetricValue(metrics.Get("/metrics").body, series);
}

double PlatformStack::GatewayMetric(const std::string& series) {
  HttpClient metrics("127.0.0.1", gateway_metrics_port());
  return MetricValue(metrics.Get("/metrics").body, series);
}

void PlatformStack::Apply(const std::string& yaml) {
  const auto path = auth_->log_dir() / ("apply-" + RandomString(8) + ".yaml");
  std::ofstream(path) << yaml;
  const auto [status, output] = Kubectl("apply -f '" + path.string() + "'");
  INFO("kubectl apply: " << output);
  REQUIRE(status == 0);
}

}  // namespace ss::test
