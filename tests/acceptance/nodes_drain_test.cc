// Issue 6: draining a node with Deployment pods, a DaemonSet pod, an unmanaged pod, emptyDir
// storage and a disruption budget, through the gateway; the result matches `kubectl drain` with
// the same flags on an identical emulated cluster.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "nodes_support.h"

namespace ss::test {
namespace {

using nlohmann::json;

constexpr char kWorkloads[] = R"yaml(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-a}
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-a}
      volumes: [{name: scratch, emptyDir: {}}]
      containers: [{name: cache, image: "redis:7", volumeMounts: [{name: scratch, mountPath: /data}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: default}
spec:
  nodeSelector: {kubernetes.io/hostname: node-a}
  containers: [{name: bare, image: "busybox:1.36"}]
)yaml";

constexpr char kBlockingBudget[] = R"yaml(
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
)yaml";

using Kubectl = std::function<std::pair<int, std::string>(const std::string&)>;

// kubectl's JSON output (after any warning lines); discarded when there is none.
json KubectlJson(const Kubectl& kubectl, const std::string& args) {
  const auto [status, output] = kubectl(args);
  const size_t start = output.find('{');
  if (status != 0 || start == std::string::npos)
    return json(json::value_t::discarded);
  return json::parse(output.substr(start), nullptr, false);
}

// Every pod as "<owner or pod name> <node> <phase>" with its count: replacement pods get fresh
// names, so pods are compared by what made them, where they run and how far they got.
std::map<std::string, int> Fates(const Kubectl& kubectl) {
  const json pods = KubectlJson(kubectl, "get pods -A -o json");
  if (pods.is_discarded())
    return {};
  std::map<std::string, int> fates;
  for (const json& pod : pods["items"]) {
    const json& meta = pod["metadata"];
    std::string owner = meta.value("name", "");
    for (const json& ref : meta.value("ownerReferences", json::array()))
      owner = ref.value("name", owner);
    ++fates[meta.value("namespace", "") + "/" + owner + " " + pod["spec"].value("nodeName", "-") +
            " " + pod["status"].value("phase", "")];
  }
  return fates;
}

// The pods of node-a all run: web x2, cache, bare and kube-proxy at least.
bool NodeASettled(const Kubectl& kubectl) {
  const json pods =
      KubectlJson(kubectl, "get pods -A --field-selector spec.nodeName=node-a -o json");
  if (pods.is_discarded())
    return false;
  size_t running = 0;
  for (const json& pod : pods["items"])
    running += pod["status"].value("phase", "") == "Running";
  return running >= 5 && running == pods["items"].size();
}

struct Twins {
  NodesStack stack;
  kube::testing::Emulator twin{SeededEmulator(stack.cluster_file())};
  Kubectl ours = [this](const std::string& args) { return stack.platform().Kubectl(args); };
  Kubectl theirs = [this](const std::string& args) { return twin.Kubectl(args); };

  void Apply(const std::string& yaml) {
    stack.platform().Apply(yaml);
    const std::string path = (twin.dir() / "apply.yaml").string();
    std::ofstream(path) << yaml;
    const auto [status, output] = twin.Kubectl("apply -f '" + path + "'");
    INFO(output);
    REQUIRE(status == 0);
  }

  void Settle() {
    const bool settled = Eventually([&] { return NodeASettled(ours) && NodeASettled(theirs); },
                                    std::chrono::seconds(60));
    INFO("ours: " << ours("get pods -A -o wide").second);
    INFO("kubectl's: " << theirs("get pods -A -o wide").second);
    REQUIRE(settled);
    REQUIRE(Eventually([&] { return Fates(ours) == Fates(theirs); }, std::chrono::seconds(30)));
  }

  HttpResponse Drain(const std::string& body, const std::string& node = "node-a") {
    HttpClient api("127.0.0.1", stack.platform().auth().api_port(), false,
                   std::chrono::seconds(60));
    return Send(api, "POST", "/api/admin/nodes/" + node + "/drain", stack.admin_token(), body);
  }
};

std::vector<std::string> Names(const json& pods) {
  std::vector<std::string> names;
  for (const json& pod : pods)
    names.push_back(pod.value("namespace", "") + "/" + pod.value("name", ""));
  return names;
}

bool HasPrefix(const std::vector<std::string>& names, const std::string& prefix) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
}

}  // namespace

TEST_CASE("nodes: drain evicts, skips and matches kubectl drain", "[drain]") {
  Twins twins;
  twins.Apply(kWorkloads);
  twins.Settle();

  const HttpResponse response = twins.Drain(
      R"({"ignoreDaemonSets": true, "deleteEmptyDirData": true, "force": true,
          "timeoutSeconds": 60})");
  INFO(response.body);
  REQUIRE(response.status == 200);
  const json report = response.Json();
  CHECK(report["completed"] == true);
  CHECK_FALSE(report.value("timedOut", false));
  const auto evicted = Names(report["evicted"]);
  CHECK(HasPrefix(evicted, "default/web-"));
  CHECK(HasPrefix(evicted, "default/cache-"));
  CHECK(std::count(evicted.begin(), evicted.end(), "default/bare") == 1);
  CHECK(std::count_if(evicted.begin(), evicted.end(),
                      [](const std::string& n) { return n.rfind("default/web-", 0) == 0; }) == 2);
  const auto skipped = Names(report["skipped"]);
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].rfind("kube-system/kube-proxy-", 0) == 0);
  CHECK(report["skipped"][0]["ownerKind"] == "DaemonSet");
  CHECK(report.value("blocked", json::array()).empty());
  for (const json& pod : report["evicted"]) {
    if (pod["name"] == "bare")
      CHECK(pod["reason"].get<std::string>().find("force") != std::string::npos);
    if (pod["name"].get<std::string>().rfind("cache-", 0) == 0)
      CHECK(pod["reason"].get<std::string>().find("emptyDir") != std::string::npos);
  }

  const auto [status, output] = twins.twin.Kubectl(
      "drain node-a --ignore-daemonsets --delete-emptydir-data --force --timeout=60s 2>&1");
  INFO(output);
  REQUIRE(status == 0);
  std::map<std::string, int> ours, theirs;
  const bool same = Eventually(
      [&] {
        ours = Fates(twins.ours);
        theirs = Fates(twins.theirs);
        return !ours.empty() && ours == theirs;
      },
      std::chrono::seconds(30));
  for (const auto& [fate, count] : ours)
    UNSCOPED_INFO("ours: " << fate << " x" << count);
  for (const auto& [fate, count] : theirs)
    UNSCOPED_INFO("kubectl: " << fate << " x" << count);
  CHECK(same);
  CHECK(ours.count("default/bare node-a Running") == 0);
  CHECK(twins.stack.KubectlNode("node-a")["spec"].value("unschedulable", false));
}

TEST_CASE("nodes: a disruption budget blocks the drain until its timeout", "[drain-blocked]") {
  Twins twins;
  twins.Apply(kWorkloads);
  twins.Apply(kBlockingBudget);
  twins.Settle();

  const HttpResponse response = twins.Drain(
      R"({"ignoreDaemonSets": true, "deleteEmptyDirData": true, "force": true,
          "timeoutSeconds": 8})");
  INFO(response.body);
  REQUIRE(response.status == 200);
  const json report = response.Json();
  CHECK_FALSE(report.value("completed", false));
  CHECK(report["timedOut"] == true);
  const auto blocked = Names(report["blocked"]);
  REQUIRE(blocked.size() == 2);
  for (const json& pod : report["blocked"]) {
    CHECK(pod["name"].get<std::string>().rfind("web-", 0) == 0);
    CHECK(pod["reason"].get<std::string>().find("disruption budget") != std::string::npos);
  }
  const auto evicted = Names(report["evicted"]);
  CHECK(std::count(evicted.begin(), evicted.end(), "default/bare") == 1);
  CHECK(HasPrefix(evicted, "default/cache-"));

  const auto [status, output] = twins.twin.Kubectl(
      "drain node-a --ignore-daemonsets --delete-emptydir-data --force --timeout=8s 2>&1");
  INFO(output);
  CHECK(status != 0);
  for (const std::string& name : blocked)
    CHECK(output.find(name.substr(name.find('/') + 1)) != std::string::npos);
  std::map<std::string, int> ours, theirs;
  CHECK(Eventually(
      [&] {
        ours = Fates(twins.ours);
        theirs = Fates(twins.theirs);
        return !ours.empty() && ours == theirs;
      },
      std::chrono::seconds(30)));
  CHECK(ours["default/bare node-a Running"] == 0);
}

TEST_CASE("nodes: a drain the flags do not allow changes nothing", "[drain-refused]") {
  Twins twins;
  twins.Apply(kWorkloads);
  twins.Settle();
  const auto before = Fates(twins.ours);

  const HttpResponse response =
      twins.Drain(R"({"ignoreDaemonSets": true, "deleteEmptyDirData": true})");
  INFO(response.body);
  CHECK(response.status == 400);
  CHECK(IsStatusBody(response, 9));
  CHECK(response.Json()["message"].get<std::string>().find("default/bare") != std::string::npos);
  // Without the flag DaemonSet pods stay (as the seed's drain did); sent as false, they refuse.
  const HttpResponse no_flags = twins.Drain("{}");
  CHECK(no_flags.status == 400);
  CHECK(no_flags.Json()["message"].get<std::string>().find("kube-proxy") == std::string::npos);
  CHECK(no_flags.Json()["message"].get<std::string>().find("default/bare") != std::string::npos);
  const HttpResponse daemon_sets = twins.Drain(R"({"ignoreDaemonSets": false})");
  CHECK(daemon_sets.status == 400);
  CHECK(daemon_sets.Json()["message"].get<std::string>().find("kube-proxy") != std::string::npos);
  CHECK(twins.Drain(R"({"timeoutSeconds": 0})").status == 400);
  CHECK(twins.Drain("{}", "nope").status == 404);

  CHECK_FALSE(twins.stack.KubectlNode("node-a")["spec"].value("unschedulable", false));
  CHECK(Fates(twins.ours) == before);
  // kubectl refuses the same pod (it cordons first; we refuse before changing anything).
  const auto [status, output] =
      twins.twin.Kubectl("drain node-a --ignore-daemonsets --delete-emptydir-data 2>&1");
  INFO(output);
  CHECK(status != 0);
  CHECK(output.find("default/bare") != std::string::npos);
  CHECK(Fates(twins.theirs) == before);
}

}  // namespace ss::test
