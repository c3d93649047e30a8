// What the service keeps of each pod: enough to count and sum pods per node, to plan a drain and
// to decide who may read a pod's log. A few hundred bytes instead of the whole object.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ss::nodes {

// The owner's user id (not the lossy streamspace.io/user name label): pod logs are theirs.
inline constexpr char kUserIdLabel[] = "streamspace.io/user-id";
inline constexpr char kSessionLabel[] = "streamspace.io/session";
inline constexpr char kMirrorAnnotation[] = "kubernetes.io/config.mirror";

struct PodSummary {
  std::string ns;
  std::string name;
  std::string uid;
  std::string node;   // spec.nodeName; empty while unscheduled
  std::string phase;  // status.phase
  // The controlling owner (ownerReferences[controller=true]); empty for an unmanaged pod.
  std::string owner_kind;
  std::string owner_name;
  std::string user_id;  // the streamspace.io/user-id label
  std::string session;  // the streamspace.io/session label
  bool mirror = false;  // a static pod's mirror (kubernetes.io/config.mirror annotation)
  bool empty_dir = false;
  bool deleting = false;  // metadata.deletionTimestamp is set
  // Effective requests: the sum over containers, or the largest init container if larger.
  int64_t cpu_millicores = 0;
  int64_t memory_bytes = 0;
  int64_t gpus = 0;  // nvidia.com/gpu + amd.com/gpu

  bool finished() const { return phase == "Succeeded" || phase == "Failed"; }
  // Counts against its node: bound and not finished.
  bool active() const { return !node.empty() && !finished(); }
  std::string key() const { return ns + "/" + name; }
};

PodSummary SummarizePod(const nlohmann::json& pod);

}  // namespace ss::nodes
