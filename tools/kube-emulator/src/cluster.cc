#include "cluster.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

namespace kubeemu {

Cluster::Cluster(ClusterOptions options)
    : options_(std::move(options)), store_(options_.watch_window) {}

const Json& Cluster::Put(const ResourceType& type, Json object) {
  return Put(type.Key(), std::move(object));
}

const Json& Cluster::Put(const std::string& resource, Json object) {
  const Json& stored = store_.Put(resource, std::move(object));
  if (resource == "apiextensions.k8s.io/customresourcedefinitions") {
    registry_.ApplyCrd(stored);
  }
  changed.notify_all();
  return stored;
}

Json Cluster::Delete(const std::string& resource, const std::string& ns, const std::string& name) {
  const Json* current = store_.Get(resource, ns, name);
  if (current == nullptr) {
    return nullptr;
  }
  const Json& meta = (*current)["metadata"];
  if (!meta.value("finalizers", Json::array()).empty()) {
    if (meta.contains("deletionTimestamp")) {
      return *current;
    }
    Json marked = *current;
    marked["metadata"]["deletionTimestamp"] = NowRfc3339();
    marked["metadata"]["deletionGracePeriodSeconds"] = 0;
    return Put(resource, std::move(marked));
  }
  Json removed = store_.Erase(resource, ns, name);
  if (resource == "apiextensions.k8s.io/customresourcedefinitions") {
    registry_.RemoveCrd(removed);
  }
  if (resource == "/pods") {
    DropLogs(ns, name);
  }
  changed.notify_all();
  return removed;
}

void Cluster::RecordEvent(const Json& involved, const std::string& type, const std::string& reason,
                          const std::string& message, const std::string& component) {
  const Json& meta = involved["metadata"];
  const std::string ns = meta.value("namespace", "default");
  const std::string base = meta.value("name", "") + ".";
  for (const Json* existing : store_.List("/events", ns)) {
    const Json& e = *existing;
    if (e.value("reason", "") == reason && e.value("message", "") == message &&
        e.value("involvedObject", Json::object()).value("uid", "") == meta.value("uid", "")) {
      Json again = e;
      again["count"] = e.value("count", 1) + 1;
      again["lastTimestamp"] = NowRfc3339();
      Put("/events", std::move(again));
      return;
    }
  }
  const std::string now = NowRfc3339();
  Json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata",
                 {{"name", base + ShortHash(NowRfc3339Nano() + reason)},
                  {"namespace", ns},
                  {"uid", NewUuid()},
                  {"creationTimestamp", now}}},
                {"involvedObject",
                 {{"apiVersion", involved.value("apiVersion", "v1")},
                  {"kind", involved.value("kind", "")},
                  {"name", meta.value("name", "")},
                  {"namespace", ns},
                  {"uid", meta.value("uid", "")}}},
                {"type", type},
                {"reason", reason},
                {"message", message},
                {"count", 1},
                {"firstTimestamp", now},
                {"lastTimestamp", now},
                {"source", {{"component", component}}},
                {"reportingComponent", component}};
  Put("/events", std::move(event));
}

std::deque<LogLine>& Cluster::Logs(const std::string& ns, const std::string& pod,
                                   const std::string& container) {
  return logs_[ns + "/" + pod + "/" + container];
}

void Cluster::DropLogs(const std::string& ns, const std::string& pod) {
  const std::string prefix = ns + "/" + pod + "/";
  std::erase_if(logs_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
}

bool Cluster::Load() {
  const std::filesystem::path file = std::filesystem::path(options_.state_dir) / "objects.json";
  std::ifstream in(file);
  if (!in) {
    return false;
  }
  const Json snapshot = Json::parse(in, nullptr, false);
  if (snapshot.is_discarded()) {
    spdlog::warn("ignoring unreadable state file {}", file.string());
    return false;
  }
  store_.Restore(snapshot);
  for (const Json* crd : store_.List("apiextensions.k8s.io/customresourcedefinitions", "")) {
    registry_.ApplyCrd(*crd);
  }
  saved_version_ = store_.Version();
  return true;
}

std::optional<std::string> Cluster::SerializeIfChanged() {
  if (store_.Version() == saved_version_ || options_.state_dir.empty()) {
    return std::nullopt;
  }
  saved_version_ = store_.Version();
  return store_.Snapshot().dump();
}

void Cluster::WriteState(const std::string& state) const {
  const std::filesystem::path dir = options_.state_dir;
  const auto tmp = dir / "objects.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << state;
    if (!out) {
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  std::filesystem::rename(tmp, dir / "objects.json");
}

}  // namespace kubeemu
