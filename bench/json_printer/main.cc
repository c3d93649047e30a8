// Converts a page of 100 nodes and a session to JSON many times with the gateway's printer and
// with protobuf's util::BinaryToJsonString (the gateway's previous path, same options), checks
// that both print the same text, and reports ns per message and MB/s of JSON.
//
//   json-printer-bench [pages] [sessions]
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "descriptor_source.h"
#include "json_printer.h"
#include "streamspace/nodes/v1/nodes.pb.h"
#include "streamspace/session/v1/session.pb.h"

namespace {

namespace pb = google::protobuf;
namespace nodes = streamspace::nodes::v1;
namespace session = streamspace::session::v1;

// Shaped like bench/nodes/make_cluster.py's nodes: labels, taints, four conditions, resources,
// usage, every tenth with GPUs, cloud, versions, addresses.
nodes::ListNodesResponse NodePage() {
  nodes::ListNodesResponse page;
  for (int i = 0; i < 100; ++i) {
    auto* node = page.add_nodes();
    const auto name = "node-" + std::to_string(1000 + i);
    const auto zone = std::string("us-east-1") + "abc"[i % 3];
    node->set_name(name);
    auto& labels = *node->mutable_labels();
    labels["kubernetes.io/hostname"] = name;
    labels["kubernetes.io/os"] = "linux";
    labels["kubernetes.io/arch"] = "amd64";
    labels["topology.kubernetes.io/region"] = "us-east-1";
    labels["topology.kubernetes.io/zone"] = zone;
    labels["node.kubernetes.io/instance-type"] = i % 10 == 0 ? "p3.8xlarge" : "m5.2xlarge";
    labels["streamspace.io/pool"] = i % 10 == 0 ? "gpu" : "general";
    if (i % 10 == 0) {
      auto* taint = node->add_taints();
      taint->set_key("nvidia.com/gpu");
      taint->set_value("present");
      taint->set_effect("NoSchedule");
    }
    for (const char* type : {"MemoryPressure", "DiskPressure", "PIDPressure", "Ready"}) {
      auto* condition = node->add_conditions();
      const bool ready = std::string(type) == "Ready";
      condition->set_type(type);
      condition->set_status(ready ? "True" : "False");
      condition->set_reason(ready ? "KubeletReady" : std::string("KubeletHasNo") + type);
      condition->set_message(ready ? "kubelet is posting ready status"
                                   : "kubelet has sufficient resources <ok>");
      condition->set_last_transition_time("2026-11-26T12:00:00Z");
    }
    node->set_status("Ready");
    node->set_schedulable(true);
    for (auto* resources : {node->mutable_capacity(), node->mutable_allocatable()}) {
      (*resources)["cpu"] = "8";
      (*resources)["memory"] = "32Gi";
      (*resources)["pods"] = "110";
      (*resources)["ephemeral-storage"] = "100Gi";
      if (i % 10 == 0)
        (*resources)["nvidia.com/gpu"] = "4";
    }
    auto* usage = node->mutable_usage();
    usage->set_cpu_millicores(1234 + i);
    usage->set_memory_bytes(8589934592LL + i * 1048576LL);
    usage->set_cpu_percent(15.425 + i / 7.0);
    usage->set_memory_percent(25.0 + i / 3.0);
    usage->set_sampled_at("2026-11-27T01:55:00Z");
    usage->set_cpu("1.234");
    usage->set_memory("8Gi");
    node->set_pods(30);
    node->set_age("7d");
    node->set_cpu_requested_millicores(3000);
    node->set_memory_requested_bytes(12884901888LL);
    if (i % 10 == 0) {
      auto* gpu = node->mutable_gpu();
      gpu->set_count(4);
      gpu->set_allocatable(4);
      gpu->set_requested(1);
      gpu->set_vendor("nvidia");
      gpu->set_product("Tesla-V100-SXM2-16GB");
      gpu->set_memory("16384");
    }
    node->set_provider("aws");
    node->set_region("us-east-1");
    node->set_zone(zone);
    auto* cloud = node->mutable_cloud();
    cloud->set_instance_type(labels["node.kubernetes.io/instance-type"]);
    cloud->set_instance_id("i-0abc" + std::to_string(100000 + i));
    cloud->set_provider_id("aws:///" + zone + "/i-0abc" + std::to_string(100000 + i));
    auto* info = node->mutable_info();
    info->set_kubelet_version("v1.28.3");
    info->set_kube_proxy_version("v1.28.3");
    info->set_os_image("Ubuntu 22.04.3 LTS");
    info->set_operating_system("linux");
    info->set_architecture("amd64");
    info->set_kernel_version("6.2.0-1017-aws");
    info->set_container_runtime("containerd://1.7.2");
    auto& addresses = *node->mutable_addresses();
    addresses["InternalIP"] = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    addresses["Hostname"] = name;
    node->set_created_at("2026-11-20T08:00:00Z");
    node->add_roles("worker");
  }
  page.set_total(1000);
  page.set_next_page_token("bm9kZS0xMDk5");
  return page;
}

session::Session OneSession() {
  session::Session s;
  s.set_name("alice-firefox-7f3k2");
  s.set_namespace_("streamspace");
  s.set_user("alice");
  s.set_template_("firefox");
  s.set_state("running");
  s.mutable_resources()->set_cpu("1000m");
  s.mutable_resources()->set_memory("2Gi");
  s.set_persistent_home(true);
  s.set_idle_timeout("30m");
  s.set_max_session_duration("8h");
  s.add_tags("browser");
  s.add_tags("demo");
  auto* status = s.mutable_status();
  status->set_phase("Running");
  status->set_url("https://alice-firefox-7f3k2.sessions.streamspace.local/");
  status->set_pod_name("ss-alice-firefox-7f3k2-6d5b9c7f4-x2x9z");
  status->set_last_activity("2026-11-27T01:49:12Z");
  for (const char* type : {"Scheduled", "Ready", "IngressReady"}) {
    auto* condition = status->add_conditions();
    condition->set_type(type);
    condition->set_status("True");
    condition->set_reason("AsExpected");
    condition->set_message("the deployment's pod is ready");
    condition->set_last_transition_time("2026-11-27T01:48:55Z");
  }
  s.set_active_connections(1);
  s.set_created_at("2026-11-27T01:48:50Z");
  return s;
}

double Seconds(const std::function<void()>& work, int iterations) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i)
    work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Compare(const char* name, const pb::Message& message, int iterations) {
  static const std::unique_ptr<pb::util::TypeResolver> resolver(
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com",
                                                 pb::DescriptorPool::generated_pool()));
  const auto* type = message.GetDescriptor();
  const auto url = ss::gateway::TypeUrl(type);
  const auto bytes = message.SerializeAsString();
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;

  std::string reference;
  std::string ours;
  const auto print_reference = [&] {
    reference.clear();
    if (!pb::util::BinaryToJsonString(resolver.get(), url, bytes, &reference, options).ok())
      std::abort();
  };
  const auto print_ours = [&] {
    ours.clear();
    if (!ss::gateway::PrintJson(type, bytes, &ours))
      std::abort();
  };
  print_reference();
  print_ours();
  if (ours != reference) {
    std::fprintf(stderr, "%s: the printers differ\n", name);
    std::exit(1);
  }
  // Warm-up, then the two in turn, twice; the better of each.
  Seconds(print_reference, iterations / 10 + 1);
  Seconds(print_ours, iterations / 10 + 1);
  double reference_seconds = 1e9;
  double our_seconds = 1e9;
  for (int round = 0; round < 2; ++round) {
    reference_seconds = std::min(reference_seconds, Seconds(print_reference, iterations));
    our_seconds = std::min(our_seconds, Seconds(print_ours, iterations));
  }
  const double megabytes = static_cast<double>(reference.size()) * iterations / 1e6;
  std::printf("| %s | %zu B → %zu B | %d | %.0f ns (%.1f MB/s) | %.0f ns (%.1f MB/s) | %.1f× |\n",
              name, bytes.size(), reference.size(), iterations,
              reference_seconds * 1e9 / iterations, megabytes / reference_seconds,
              our_seconds * 1e9 / iterations, megabytes / our_seconds,
              reference_seconds / our_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const int pages = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int sessions = argc > 2 ? std::atoi(argv[2]) : 10000;
  std::printf(
      "| message | protobuf → JSON | conversions | BinaryToJsonString | PrintJson | "
      "speed-up |\n|---|---|---|---|---|---|\n");
  Compare("ListNodesResponse, 100 nodes", NodePage(), pages);
  Compare("Session with status and 3 conditions", OneSession(), sessions);
  return 0;
}
