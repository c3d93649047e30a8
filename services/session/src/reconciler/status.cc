#include "status.h"

#include <algorithm>

#include "core/rfc3339.h"
#include "fmt/format.h"
#include "kube/json_read.h"

namespace ss::session {
namespace {

using kube::ArrayAt;
using kube::Child;
using kube::MetaString;
using kube::StringAt;
using nlohmann::json;
using std::chrono::milliseconds;

// A session's pod waiting with one of these never gets its image without a change of spec.
constexpr const char* kPullFailures[] = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName",
                                         "ErrImageNeverPull"};
// A container restarted this often and backing off is not going to come up.
constexpr long kCrashLoopRestarts = 3;

// The condition of `type` among object.conditions (a pod's or a Session's status).
const json* FindCondition(const json& status, const std::string& type) {
  for (const auto& condition : ArrayAt(status, "conditions")) {
    if (StringAt(condition, "type") == type) {
      return &condition;
    }
  }
  return nullptr;
}

bool PodReady(const json& pod) {
  const json* ready = FindCondition(Child(pod, "status"), "Ready");
  return ready != nullptr && StringAt(*ready, "status") == "True";
}

// A Ready pod, else the newest.
const json* ChoosePod(const std::vector<json>& pods) {
  const json* chosen = nullptr;
  for (const auto& pod : pods) {
    if (chosen == nullptr) {
      chosen = &pod;
      continue;
    }
    const auto key = [](const json& p) {
      return std::make_tuple(PodReady(p), MetaString(p, "creationTimestamp"),
                             MetaString(p, "name"));
    };
    if (key(pod) > key(*chosen)) {
      chosen = &pod;
    }
  }
  return chosen;
}

struct PodView {
  std::string scheduled = "Unknown";
  std::string scheduled_reason = "NoPod";
  std::string scheduled_message;
  std::string pulled = "Unknown";
  std::string pulled_reason = "Waiting";
  std::string pulled_message;
  bool ready = false;
  std::optional<Failure> failure;
};

bool IsPullFailure(const std::string& reason) {
  return std::find(std::begin(kPullFailures), std::end(kPullFailures), reason) !=
         std::end(kPullFailures);
}

void ReadContainers(const json& pod, PodView& view) {
  for (const auto& container : ArrayAt(Child(pod, "status"), "containerStatuses")) {
    const json& state = Child(container, "state");
    if (!Child(state, "running").is_null() || !Child(state, "terminated").is_null() ||
        !StringAt(container, "imageID").empty()) {
      view.pulled = "True";
      view.pulled_reason = "Pulled";
    }
    const json& waiting = Child(state, "waiting");
    const std::string reason = StringAt(waiting, "reason");
    const std::string message = StringAt(waiting, "message");
    if (IsPullFailure(reason)) {
      view.pulled = "False";
      view.pulled_reason = reason;
      view.pulled_message = message;
      view.failure = Failure{"ImagePullBackOff", reason + (message.empty() ? "" : ": " + message)};
    } else if (reason == "CrashLoopBackOff" &&
               Child(container, "restartCount").is_number_integer() &&
               container["restartCount"].get<long>() >= kCrashLoopRestarts) {
      view.failure =
          Failure{"CrashLoopBackOff",
                  fmt::format("container {} restarted {} times: {}", StringAt(container, "name"),
                              container["restartCount"].get<long>(),
                              message.empty() ? "back-off restarting failed container" : message)};
    }
  }
}

// Events tell of a failed pull before (or besides) the container status.
void ReadEvents(const std::vector<json>& events, const std::string& pod, PodView& view) {
  for (const auto& event : events) {
    if (StringAt(Child(event, "involvedObject"), "name") != pod) {
      continue;
    }
    const std::string reason = StringAt(event, "reason");
    const std::string message = StringAt(event, "message");
    if (reason == "Pulled" && view.pulled != "False") {
      view.pulled = "True";
      view.pulled_reason = "Pulled";
    } else if (reason == "Failed" && message.rfind("Failed to pull image", 0) == 0) {
      view.pulled = "False";
      if (view.pulled_reason == "Waiting" || view.pulled_reason == "Pulled") {
        view.pulled_reason = "ErrImagePull";
      }
      view.pulled_message = message;
      view.failure = Failure{"ImagePullBackOff", message};
    }
  }
}

PodView ViewPod(const json* pod, const std::vector<json>& events) {
  PodView view;
  if (pod == nullptr) {
    view.scheduled_message = "no pod yet";
    return view;
  }
  const json* scheduled = FindCondition(Child(*pod, "status"), "PodScheduled");
  if (scheduled != nullptr) {
    view.scheduled = StringAt(*scheduled, "status");
    view.scheduled_reason = StringAt(*scheduled, "reason");
    view.scheduled_message = StringAt(*scheduled, "message");
  } else if (!StringAt(Child(*pod, "spec"), "nodeName").empty()) {
    view.scheduled = "True";
  } else {
    view.scheduled_reason = "Waiting";
    view.scheduled_message = "";
  }
  if (view.scheduled == "True" && view.scheduled_reason.empty()) {
    view.scheduled_reason = "Scheduled";
  }
  if (view.scheduled_reason.empty()) {
    view.scheduled_reason = "Waiting";
  }
  ReadContainers(*pod, view);
  ReadEvents(events, MetaString(*pod, "name"), view);
  view.ready = PodReady(*pod);
  return view;
}

// A condition; it keeps its lastTransitionTime while its status and reason stay the same.
json Condition(const json& current, const std::string& type, const std::string& status,
               const std::string& reason, const std::string& message,
               std::chrono::system_clock::time_point now) {
  json condition = {{"type", type}, {"status", status}, {"reason", reason}, {"message", message}};
  const json* before = FindCondition(current, type);
  const bool same = before != nullptr && StringAt(*before, "status") == status &&
                    StringAt(*before, "reason") == reason &&
                    !StringAt(*before, "lastTransitionTime").empty();
  condition["lastTransitionTime"] =
      same ? StringAt(*before, "lastTransitionTime") : core::FormatRfc3339(now);
  return condition;
}

// Since when the session has been waiting for its pod: the Ready condition's transition to
// Starting, or the Session's creation when it has no Ready condition yet.
std::chrono::system_clock::time_point StartingSince(const Observation& observation) {
  const json* ready = FindCondition(observation.status, "Ready");
  std::string since = observation.created;
  if (ready != nullptr) {
    since = StringAt(*ready, "reason") == "Starting" ? StringAt(*ready, "lastTransitionTime") : "";
  }
  const auto parsed = core::ParseRfc3339(since);
  return parsed ? std::min(*parsed, observation.now) : observation.now;
}

std::string CurrentReadyReason(const json& status) {
  const json* ready = FindCondition(status, "Ready");
  return ready == nullptr ? "" : StringAt(*ready, "reason");
}

std::string TimeoutText(milliseconds timeout) {
  const long seconds = static_cast<long>(timeout.count() / 1000);
  return seconds % 60 == 0 ? fmt::format("{}m", seconds / 60) : fmt::format("{}s", seconds);
}

}  // namespace

DerivedStatus DeriveStatus(const Observation& observation) {
  const json& current = observation.status;
  const auto now = observation.now;
  DerivedStatus derived;
  json status = current.is_object() ? current : json::object();
  std::string phase;
  std::string pod_name;
  std::string url = observation.url;
  json conditions = json::array();
  const auto all = [&](const std::string& condition_status, const std::string& reason,
                       const std::string& message) {
    for (const char* type : {"Scheduled", "ImagePulled", "Ready"}) {
      conditions.push_back(Condition(current, type, condition_status, reason, message, now));
    }
  };

  if (observation.state == "terminated") {
    phase = "Terminated";
    url.clear();
    all("False", "Terminated", "the session was terminated");
  } else if (observation.failure) {
    phase = "Failed";
    all("False", observation.failure->reason, observation.failure->message);
  } else if (observation.state == "hibernated" && observation.pods.empty()) {
    phase = "Hibernated";
    all("False", "Hibernated", "the session is hibernated");
  } else {
    const json* pod = ChoosePod(observation.pods);
    const PodView view = ViewPod(pod, observation.events);
    pod_name = pod == nullptr ? "" : MetaString(*pod, "name");
    conditions.push_back(Condition(current, "Scheduled", view.scheduled, view.scheduled_reason,
                                   view.scheduled_message, now));
    conditions.push_back(Condition(current, "ImagePulled", view.pulled, view.pulled_reason,
                                   view.pulled_message, now));
    std::string ready_reason;
    std::string ready_message;
    if (observation.state == "hibernated") {
      phase = StringAt(current, "phase").empty() ? "Pending" : StringAt(current, "phase");
      ready_reason = "Hibernating";
      ready_message = "waiting for the pod to stop";
    } else if (view.ready) {
      phase = "Running";
      ready_reason = "PodReady";
    } else if (view.failure) {
      phase = "Failed";
      ready_reason = view.failure->reason;
      ready_message = view.failure->message;
    } else if (CurrentReadyReason(current) == "StartupTimeout") {
      phase = "Failed";
      ready_reason = "StartupTimeout";
      ready_message = StringAt(*FindCondition(current, "Ready"), "message");
    } else {
      const auto elapsed =
          std::chrono::duration_cast<milliseconds>(now - StartingSince(observation));
      if (elapsed >= observation.startup_timeout) {
        phase = "Failed";
        ready_reason = "StartupTimeout";
        ready_message = "not running " + TimeoutText(observation.startup_timeout) +
                        " after it was asked to run";
      } else {
        phase = "Pending";
        ready_reason = "Starting";
        ready_message = "waiting for the pod to become ready";
        derived.recheck_after = observation.startup_timeout - elapsed;
      }
    }
    conditions.push_back(Condition(current, "Ready", view.ready ? "True" : "False", ready_reason,
                                   ready_message, now));
  }
  status["phase"] = phase;
  status["podName"] = pod_name;
  status["url"] = url;
  status["conditions"] = std::move(conditions);
  derived.status = std::move(status);
  return derived;
}

bool StatusChanged(const json& current, const json& derived) {
  for (const char* field : {"phase", "podName", "url", "conditions"}) {
    if (Child(current, field) != Child(derived, field)) {
      return true;
    }
  }
  return false;
}

}  // namespace ss::session
