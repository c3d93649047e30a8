// Helpers of the nodes service's acceptance tests: a platform stack with nodes-service on an
// emulated cluster seeded from nodes_cluster (GPU, cloud and plain nodes), a second emulator
// with the same cluster for kubectl, and the service's calls over gRPC.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "platform_stack.h"
#include "streamspace/nodes/v1/nodes.grpc.pb.h"
#include "ws_reader.h"

namespace ss::test {

namespace nodes_pb = streamspace::nodes::v1;

// The seeded cluster: node-a (AWS labels and providerID), node-b (GCE providerID, legacy beta
// labels), gpu-node-1 (4 NVIDIA GPUs, tainted), plain-node (no cloud, no GPU); DaemonSet
// kube-proxy; Deployment coredns with a PodDisruptionBudget.
const std::string& NodesClusterYaml();

struct NodesStackOptions {
  // The emulated cluster (NodesClusterYaml() by default) and how many nodes it has.
  std::string cluster_yaml = NodesClusterYaml();
  int nodes = 4;
  kube::testing::EmulatorOptions emulator;
  // Added to nodes-service's environment.
  Environment env = {{"METRICS_POLL_INTERVAL", "300ms"}, {"METRICS_INTERVAL", "500ms"}};
  std::chrono::seconds ready_timeout{60};
};

class NodesStack {
 public:
  explicit NodesStack(NodesStackOptions options = {});

  PlatformStack& platform() { return *stack_; }
  HttpClient Api() const { return stack_->Api(); }
  const std::string& admin_token() const { return admin_token_; }
  // The path of the cluster file (for a twin emulator).
  std::string cluster_file() const { return (dir_.path() / "cluster.yaml").string(); }

  // A stub of nodes-service and a context carrying `token`.
  std::unique_ptr<nodes_pb::NodesService::Stub> Stub();
  static void Authorize(grpc::ClientContext* context, const std::string& token);

  // The Node object as kubectl sees it (the independent check).
  nlohmann::json KubectlNode(const std::string& name);

 private:
  TempDir dir_;
  std::unique_ptr<PlatformStack> stack_;
  std::string admin_token_;
};

// Emulator options that seed `cluster_file`.
kube::testing::EmulatorOptions SeededEmulator(const std::string& cluster_file);

// A proto JSON integer (int64 fields travel as strings; zeros may be left out).
long long Int(const nlohmann::json& object, const std::string& key);

// An HTTP request with a JSON body and a bearer token.
HttpResponse Send(HttpClient& api, const std::string& method, const std::string& target,
                  const std::string& token, const std::string& body = "");

}  // namespace ss::test
