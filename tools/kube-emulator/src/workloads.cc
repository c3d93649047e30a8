#include <spdlog/spdlog.h>

#include "api.h"
#include "controllers.h"
#include "disruption.h"
#include "selectors.h"

namespace kubeemu {
namespace {

bool Terminating(const Json& o) {
  return o["metadata"].contains("deletionTimestamp");
}

bool OwnedBy(const Json& object, const std::string& uid) {
  for (const auto& ref : object["metadata"].value("ownerReferences", Json::array())) {
    if (ref.value("uid", "") == uid && ref.value("controller", false)) {
      return true;
    }
  }
  return false;
}

Json OwnerRef(const Json& owner) {
  return {{"apiVersion", owner["apiVersion"]},
          {"kind", owner["kind"]},
          {"name", owner["metadata"]["name"]},
          {"uid", owner["metadata"]["uid"]},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

std::vector<const Json*> Owned(Cluster& cluster, const std::string& resource, const Json& owner) {
  std::vector<const Json*> out;
  const std::string uid = owner["metadata"]["uid"];
  for (const Json* o : cluster.store().List(resource, owner["metadata"]["namespace"])) {
    if (OwnedBy(*o, uid) && !Terminating(*o)) {
      out.push_back(o);
    }
  }
  return out;
}

void PutIfChanged(Cluster& cluster, const std::string& resource, const Json& before, Json after) {
  if (before != after) {
    cluster.Put(resource, std::move(after));
  }
}

// Pod names derive from the owner's name and a creation counter kept in an annotation of the
// owner, so that two emulators given the same operations name their pods alike.
constexpr const char* kPodCounter = "kube-emulator.streamspace.io/pods-created";

// Creates a pod of `owner` from its template; named `fixed_name` (a StatefulSet's ordinal pod)
// or generated.
void CreatePod(Cluster& cluster, Json& owner, const Json& pod_template, const std::string& node,
               const std::string& fixed_name = "") {
  const std::string ns = owner["metadata"]["namespace"];
  const std::string prefix = owner["metadata"]["name"].get<std::string>() + "-";
  std::string name = fixed_name;
  if (name.empty()) {
    Json& annotations = owner["metadata"]["annotations"];
    long counter =
        annotations.is_object() ? std::atol(annotations.value(kPodCounter, "0").c_str()) : 0;
    do {
      name = prefix + ShortHash(prefix + std::to_string(counter++)).substr(0, 5);
    } while (cluster.store().Get("/pods", ns, name) != nullptr);
    annotations[kPodCounter] = std::to_string(counter);
  }
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", pod_template.value("metadata", Json::object())},
              {"spec", pod_template.value("spec", Json::object())}};
  Json& meta = pod["metadata"];
  if (fixed_name.empty()) {
    meta["generateName"] = prefix;
  }
  meta["name"] = name;
  meta["namespace"] = ns;
  meta["uid"] = NewUuid();
  meta["creationTimestamp"] = NowRfc3339();
  meta["ownerReferences"] = Json::array({OwnerRef(owner)});
  if (!node.empty()) {
    pod["spec"]["nodeName"] = node;
  }
  ApplyCreateDefaults(*cluster.registry().Find("", "v1", "pods"), pod);
  cluster.Put("/pods", std::move(pod));
}

void ReconcileReplicaSet(Cluster& cluster, const Json& rs) {
  const auto pods = Owned(cluster, "/pods", rs);
  const long desired = rs["spec"].value("replicas", 1L);
  const long have = static_cast<long>(pods.size());
  Json updated = rs;
  for (long i = have; i < desired; ++i) {
    CreatePod(cluster, updated, rs["spec"].value("template", Json::object()), "");
  }
  if (have > desired) {
    std::vector<std::string> names;
    for (const Json* p : pods) {
      names.push_back((*p)["metadata"]["name"]);
    }
    std::reverse(names.begin(), names.end());
    for (long i = 0; i < have - desired; ++i) {
      cluster.Delete("/pods", rs["metadata"]["namespace"], names[static_cast<size_t>(i)]);
    }
  }
  long ready = 0;
  long count = 0;
  for (const Json* p : Owned(cluster, "/pods", rs)) {
    ++count;
    ready += PodReady(*p) ? 1 : 0;
  }
  updated["status"] = {{"replicas", count},
                       {"fullyLabeledReplicas", count},
                       {"readyReplicas", ready},
                       {"availableReplicas", ready},
                       {"observedGeneration", rs["metadata"].value("generation", 1)}};
  PutIfChanged(cluster, "apps/replicasets", rs, std::move(updated));
}

void ReconcileDeployment(Cluster& cluster, const Json& deploy) {
  Json pod_template = deploy["spec"].value("template", Json::object());
  const std::string hash = ShortHash(pod_template.dump());
  pod_template["metadata"]["labels"]["pod-template-hash"] = hash;
  const std::string rs_name = deploy["metadata"]["name"].get<std::string>() + "-" + hash;
  const long replicas = deploy["spec"].value("replicas", 1L);
  const std::string ns = deploy["metadata"]["namespace"];
  bool found = false;
  for (const Json* rs : Owned(cluster, "apps/replicasets", deploy)) {
    Json updated = *rs;
    const bool current = (*rs)["metadata"]["name"] == rs_name;
    found = found || current;
    updated["spec"]["replicas"] = current ? replicas : 0;
    PutIfChanged(cluster, "apps/replicasets", *rs, std::move(updated));
  }
  if (!found) {
    Json selector = deploy["spec"].value("selector", Json::object());
    selector["matchLabels"]["pod-template-hash"] = hash;
    Json rs = {
        {"apiVersion", "apps/v1"},
        {"kind", "ReplicaSet"},
        {"metadata",
         {{"name", rs_name},
          {"namespace", ns},
          {"uid", NewUuid()},
          {"generation", 1},
          {"creationTimestamp", NowRfc3339()},
          {"labels", pod_template["metadata"]["labels"]},
          {"ownerReferences", Json::array({OwnerRef(deploy)})}}},
        {"spec", {{"replicas", replicas}, {"selector", selector}, {"template", pod_template}}},
        {"status", {{"replicas", 0}}}};
    cluster.Put("apps/replicasets", std::move(rs));
    cluster.RecordEvent(
        deploy, "Normal", "ScalingReplicaSet",
        "Scaled up replica set " + rs_name + " from 0 to " + std::to_string(replicas),
        "deployment-controller");
  }
  long total = 0;
  long ready = 0;
  long updated_count = 0;
  for (const Json* rs : Owned(cluster, "apps/replicasets", deploy)) {
    const long n = (*rs)["status"].value("replicas", 0L);
    total += n;
    ready += (*rs)["status"].value("readyReplicas", 0L);
    if ((*rs)["metadata"]["name"] == rs_name) {
      updated_count = n;
    }
  }
  Json updated = deploy;
  const bool available = ready >= replicas;
  updated["status"] = {
      {"observedGeneration", deploy["metadata"].value("generation", 1)},
      {"replicas", total},
      {"updatedReplicas", updated_count},
      {"readyReplicas", ready},
      {"availableReplicas", ready},
      {"conditions",
       Json::array(
           {{{"type", "Available"},
             {"status", available ? "True" : "False"},
             {"reason", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"}},
            {{"type", "Progressing"},
             {"status", "True"},
             {"reason", "NewReplicaSetAvailable"},
             {"message", "ReplicaSet \"" + rs_name + "\" has successfully progressed."}}})}};
  if (total - ready > 0) {
    updated["status"]["unavailableReplicas"] = total - ready;
  }
  PutIfChanged(cluster, "apps/deployments", deploy, std::move(updated));
}

void ReconcileDaemonSet(Cluster& cluster, const Json& ds) {
  const Json pod_template = ds["spec"].value("template", Json::object());
  const Json* node_selector = FindPath(pod_template, "spec.nodeSelector");
  const LabelSelector selector =
      LabelSelector::FromObject({{"matchLabels", node_selector ? *node_selector : Json::object()}});
  std::set<std::string> wanted;
  for (const Json* node : cluster.store().List("/nodes", "")) {
    if (selector.Matches((*node)["metadata"].value("labels", Json::object()))) {
      wanted.insert((*node)["metadata"]["name"].get<std::string>());
    }
  }
  std::set<std::string> covered;
  long ready = 0;
  for (const Json* pod : Owned(cluster, "/pods", ds)) {
    const std::string node = PathString(*pod, "spec.nodeName");
    if (!wanted.contains(node) || covered.contains(node)) {
      cluster.Delete("/pods", ds["metadata"]["namespace"], (*pod)["metadata"]["name"]);
      continue;
    }
    covered.insert(node);
    ready += PodReady(*pod) ? 1 : 0;
  }
  Json updated = ds;
  for (const auto& node : wanted) {
    if (!covered.contains(node)) {
      CreatePod(cluster, updated, pod_template, node);
    }
  }
  const long n = static_cast<long>(wanted.size());
  updated["status"] = {{"desiredNumberScheduled", n},
                       {"currentNumberScheduled", n},
                       {"updatedNumberScheduled", n},
                       {"numberReady", ready},
                       {"numberAvailable", ready},
                       {"numberMisscheduled", 0},
                       {"observedGeneration", ds["metadata"].value("generation", 1)}};
  PutIfChanged(cluster, "apps/daemonsets", ds, std::move(updated));
}

// Pods `<name>-0` .. `<name>-<replicas - 1>`, each with its claims from volumeClaimTemplates
// (`<claim>-<pod>`, kept when the pod goes, as the controller's default retention policy does).
void ReconcileStatefulSet(Cluster& cluster, const Json& sts) {
  const std::string ns = sts["metadata"]["namespace"];
  const std::string name = sts["metadata"]["name"];
  const long replicas = sts["spec"].value("replicas", 1L);
  const Json claims = sts["spec"].value("volumeClaimTemplates", Json::array());
  const ResourceType& claim_type = *cluster.registry().Find("", "v1", "persistentvolumeclaims");
  Json updated = sts;
  std::set<std::string> wanted;
  for (long i = 0; i < replicas; ++i) {
    const std::string pod_name = name + "-" + std::to_string(i);
    wanted.insert(pod_name);
    if (cluster.store().Get("/pods", ns, pod_name) != nullptr) {
      continue;
    }
    Json pod_template = sts["spec"].value("template", Json::object());
    Json& labels = pod_template["metadata"]["labels"];
    labels["statefulset.kubernetes.io/pod-name"] = pod_name;
    labels["apps.kubernetes.io/pod-index"] = std::to_string(i);
    pod_template["spec"]["hostname"] = pod_name;
    if (sts["spec"].contains("serviceName")) {
      pod_template["spec"]["subdomain"] = sts["spec"]["serviceName"];
    }
    for (const Json& claim : claims) {
      const std::string volume = PathString(claim, "metadata.name");
      const std::string claim_name = volume + "-" + pod_name;
      if (cluster.store().Get("/persistentvolumeclaims", ns, claim_name) == nullptr) {
        Json pvc = {{"apiVersion", "v1"},
                    {"kind", "PersistentVolumeClaim"},
                    {"metadata",
                     {{"name", claim_name},
                      {"namespace", ns},
                      {"uid", NewUuid()},
                      {"creationTimestamp", NowRfc3339()},
                      {"labels", sts["spec"]
                                     .value("selector", Json::object())
                                     .value("matchLabels", Json::object())}}},
                    {"spec", claim.value("spec", Json::object())}};
        ApplyCreateDefaults(claim_type, pvc);
        cluster.Put(claim_type, std::move(pvc));
      }
      pod_template["spec"]["volumes"].push_back(
          {{"name", volume}, {"persistentVolumeClaim", {{"claimName", claim_name}}}});
    }
    CreatePod(cluster, updated, pod_template, "", pod_name);
  }
  long count = 0;
  long ready = 0;
  for (const Json* pod : Owned(cluster, "/pods", sts)) {
    if (!wanted.contains((*pod)["metadata"]["name"].get<std::string>())) {
      cluster.Delete("/pods", ns, (*pod)["metadata"]["name"]);
      continue;
    }
    ++count;
    ready += PodReady(*pod) ? 1 : 0;
  }
  updated["status"] = {
      {"replicas", count},          {"readyReplicas", ready},
      {"currentReplicas", count},   {"updatedReplicas", count},
      {"availableReplicas", ready}, {"observedGeneration", sts["metadata"].value("generation", 1)}};
  PutIfChanged(cluster, "apps/statefulsets", sts, std::move(updated));
}

template <typename Fn>
void ForEach(Cluster& cluster, const std::string& resource, Fn fn) {
  std::vector<Json> snapshot;
  for (const Json* o : cluster.store().List(resource, "")) {
    if (!Terminating(*o)) {
      snapshot.push_back(*o);
    }
  }
  // One malformed object must not stop the controllers for every other.
  for (const auto& o : snapshot) {
    try {
      fn(cluster, o);
    } catch (const std::exception& e) {
      spdlog::warn("{} {}/{}: {}", resource, PathString(o, "metadata.namespace"),
                   PathString(o, "metadata.name"), e.what());
    }
  }
}

}  // namespace

void ReconcileWorkloads(Cluster& cluster) {
  ForEach(cluster, "apps/deployments", ReconcileDeployment);
  ForEach(cluster, "apps/replicasets", ReconcileReplicaSet);
  ForEach(cluster, "apps/daemonsets", ReconcileDaemonSet);
  ForEach(cluster, "apps/statefulsets", ReconcileStatefulSet);
}

}  // namespace kubeemu
