// The emulated cluster: its objects, the resource types it serves, pod logs, and one lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "object_store.h"
#include "resource_registry.h"

namespace kubeemu {

// Tunables of the emulated cluster (command-line flags).
struct ClusterOptions {
  std::string state_dir;
  std::chrono::milliseconds pod_start_delay{1000};
  std::chrono::milliseconds log_interval{1000};
  std::chrono::milliseconds bookmark_interval{5000};
  size_t watch_window = 1000;
  size_t log_lines_kept = 2000;
};

// A line of a container's log with its kubelet timestamp.
struct LogLine {
  std::string timestamp;
  long long epoch_seconds = 0;
  std::uint64_t sequence = 0;
  std::string text;
};

// Everything the API handlers and controllers share. Callers hold `mutex` while they use the
// store, the registry or the logs; every write notifies `changed` (watches and log followers).
class Cluster {
 public:
  explicit Cluster(ClusterOptions options);

  const ClusterOptions& options() const { return options_; }
  ObjectStore& store() { return store_; }
  ResourceRegistry& registry() { return registry_; }

  // Writes an object and wakes watchers. The caller holds `mutex`.
  const Json& Put(const ResourceType& type, Json object);
  const Json& Put(const std::string& resource, Json object);
  // Deletes an object now, or marks it for deletion when finalizers remain. Caller holds `mutex`.
  Json Delete(const std::string& resource, const std::string& ns, const std::string& name);

  // Records a core/v1 Event about an object. The caller holds `mutex`.
  void RecordEvent(const Json& involved, const std::string& type, const std::string& reason,
                   const std::string& message, const std::string& component);

  // The log lines kept for a container (the kubelet appends, the log API reads).
  std::deque<LogLine>& Logs(const std::string& ns, const std::string& pod,
                            const std::string& container);

  // Loads state from the state dir; false when there is none.
  bool Load();
  // The store serialized for the state dir, or nullopt when nothing changed since the last
  // call. The caller holds `mutex`; it writes the text with WriteState after releasing it.
  std::optional<std::string> SerializeIfChanged();
  // Replaces the state file with `state` (through a temporary file and a rename).
  void WriteState(const std::string& state) const;

  std::mutex mutex;
  std::condition_variable changed;

 private:
  void DropLogs(const std::string& ns, const std::string& pod);

  ClusterOptions options_;
  ObjectStore store_;
  ResourceRegistry registry_;
  std::map<std::string, std::deque<LogLine>> logs_;
  std::uint64_t saved_version_ = 0;
};

}  // namespace kubeemu
