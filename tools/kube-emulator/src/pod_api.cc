#include <ctime>

#include "api.h"
#include "disruption.h"

namespace kubeemu {
namespace {

struct LogOptions {
  std::string container;
  bool follow = false;
  bool timestamps = false;
  long tail = -1;
  long since_seconds = -1;
};

std::string FormatLine(const LogLine& line, bool timestamps) {
  return (timestamps ? line.timestamp + " " : "") + line.text + "\n";
}

// Why a container has no log yet, as the kubelet words it; empty when it has started.
std::string WaitingReason(const Json& pod, const std::string& container) {
  for (const auto& cs : pod["status"].value("containerStatuses", Json::array())) {
    if (cs.value("name", "") == container) {
      const Json* reason = FindPath(cs, "state.waiting.reason");
      if (reason == nullptr) {
        return "";
      }
      return *reason == "ImagePullBackOff" || *reason == "ErrImagePull"
                 ? "trying and failing to pull image"
                 : reason->get<std::string>();
    }
  }
  return "ContainerCreating";
}

}  // namespace

HttpResponse PodLog(Cluster& cluster, const ResourceRequest& req) {
  LogOptions options;
  options.container = req.http.Param("container");
  options.follow = req.http.Param("follow") == "true";
  options.timestamps = req.http.Param("timestamps") == "true";
  if (const std::string tail = req.http.Param("tailLines"); !tail.empty()) {
    options.tail = std::atol(tail.c_str());
  }
  if (const std::string since = req.http.Param("sinceSeconds"); !since.empty()) {
    options.since_seconds = std::atol(since.c_str());
  }
  std::unique_lock lock(cluster.mutex);
  const Json* pod = cluster.store().Get("/pods", req.ns, req.name);
  if (pod == nullptr) {
    return ErrorResponse(NotFound(req.Subject()));
  }
  const Json containers = (*pod)["spec"].value("containers", Json::array());
  if (options.container.empty()) {
    if (containers.size() != 1) {
      std::string names;
      for (const auto& c : containers) {
        names += (names.empty() ? "" : " ") + c.value("name", "");
      }
      return ErrorResponse(BadRequest("a container name must be specified for pod " + req.name +
                                      ", choose one of: [" + names + "]"));
    }
    options.container = containers[0].value("name", "");
  }
  const bool known = std::any_of(containers.begin(), containers.end(), [&](const Json& c) {
    return c.value("name", "") == options.container;
  });
  if (!known) {
    return ErrorResponse(
        BadRequest("container " + options.container + " is not valid for pod " + req.name));
  }
  if (const std::string waiting = WaitingReason(*pod, options.container); !waiting.empty()) {
    return ErrorResponse(BadRequest("container \"" + options.container + "\" in pod \"" + req.name +
                                    "\" is waiting to start: " + waiting));
  }
  const auto& lines = cluster.Logs(req.ns, req.name, options.container);
  const long long cutoff =
      options.since_seconds >= 0 ? std::time(nullptr) - options.since_seconds : 0;
  std::vector<const LogLine*> selected;
  for (const auto& line : lines) {
    if (line.epoch_seconds >= cutoff) {
      selected.push_back(&line);
    }
  }
  if (options.tail >= 0 && selected.size() > static_cast<size_t>(options.tail)) {
    selected.erase(selected.begin(), selected.end() - options.tail);
  }
  std::string initial;
  for (const LogLine* line : selected) {
    initial += FormatLine(*line, options.timestamps);
  }
  const std::uint64_t last_seen = lines.empty() ? 0 : lines.back().sequence;
  if (!options.follow) {
    return {200, "text/plain", std::move(initial), {}, {}};
  }
  lock.unlock();
  HttpResponse res;
  res.content_type = "text/plain";
  res.stream = [&cluster, ns = req.ns, name = req.name, uid = (*pod)["metadata"].value("uid", ""),
                options, initial, last_seen](StreamSink& sink) {
    if (!initial.empty() && !sink.Write(initial)) {
      return;
    }
    std::uint64_t last = last_seen;
    while (true) {
      std::string out;
      {
        std::unique_lock lock(cluster.mutex);
        cluster.changed.wait_for(lock, std::chrono::seconds(1));
        const Json* current = cluster.store().Get("/pods", ns, name);
        if (current == nullptr || (*current)["metadata"].value("uid", "") != uid) {
          return;
        }
        for (const auto& line : cluster.Logs(ns, name, options.container)) {
          if (line.sequence > last) {
            out += FormatLine(line, options.timestamps);
            last = line.sequence;
          }
        }
      }
      if (!out.empty() && !sink.Write(out)) {
        return;
      }
    }
  };
  return res;
}

HttpResponse EvictPod(Cluster& cluster, const ResourceRequest& req) {
  const Json body = Json::parse(req.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse(BadRequest("couldn't get version/kind; json parse error"));
  }
  if (body.value("kind", "") != "Eviction") {
    return ErrorResponse(BadRequest(body.value("kind", "") + " in version \"" +
                                    body.value("apiVersion", "") +
                                    "\" cannot be handled as a Eviction"));
  }
  std::lock_guard lock(cluster.mutex);
  const Json* pod = cluster.store().Get("/pods", req.ns, req.name);
  if (pod == nullptr) {
    return ErrorResponse(NotFound({"", "pods", req.name}));
  }
  const std::string phase = PathString(*pod, "status.phase");
  const bool terminal = phase == "Succeeded" || phase == "Failed" || phase == "Pending";
  const auto budgets = BudgetsFor(cluster, *pod);
  if (budgets.size() > 1) {
    return ErrorResponse({500,
                          {{"kind", "Status"},
                           {"apiVersion", "v1"},
                           {"metadata", Json::object()},
                           {"status", "Failure"},
                           {"message",
                            "This pod has more than one PodDisruptionBudget, which "
                            "the eviction subresource does not support."},
                           {"code", 500}}});
  }
  if (!terminal && budgets.size() == 1 && PodReady(*pod)) {
    const Json status = ComputeBudgetStatus(cluster, budgets[0]);
    if (status.value("disruptionsAllowed", 0) <= 0) {
      const std::string budget_name = budgets[0]["metadata"].value("name", "");
      return ErrorResponse(TooManyRequests(
          "Cannot evict pod as it would violate the pod's disruption budget.",
          Json::array(
              {{{"reason", "DisruptionBudget"},
                {"message",
                 "The disruption budget " + budget_name + " needs " +
                     std::to_string(status.value("desiredHealthy", 0)) + " healthy pods and has " +
                     std::to_string(status.value("currentHealthy", 0)) + " currently"}}})));
    }
  }
  if (req.http.Param("dryRun") != "All") {
    cluster.Delete("/pods", req.ns, req.name);
    UpdateBudgets(cluster);
  }
  return JsonResponse(201, {{"kind", "Status"},
                            {"apiVersion", "v1"},
                            {"metadata", Json::object()},
                            {"status", "Success"},
                            {"code", 201}});
}

}  // namespace kubeemu
