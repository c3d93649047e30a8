// List-then-watch (the informer pattern): one thread keeps a handler in step with a collection,
// resuming after drops and timeouts from the last version seen, re-listing after 410 Gone.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "kube/cancellation.h"
#include "kube/client.h"
#include "kube/error.h"
#include "kube/resource.h"

namespace ss::kube {

// Receives what a Watcher sees, on the Watcher's thread.
class WatchHandler {
 public:
  virtual ~WatchHandler() = default;
  // A full list begins (at start and after 410 Gone): objects that are not delivered again
  // before OnSynced() are gone.
  virtual void OnListStart() {}
  // A listed object (kAdded) or a change (kAdded, kModified, kDeleted).
  virtual void OnEvent(WatchEventType type, const nlohmann::json& object) = 0;
  // The list is complete; changes follow as events.
  virtual void OnSynced() {}
  // A failure the Watcher recovers from by itself (for logs and metrics).
  virtual void OnError(const Error& /*error*/) {}
};

struct WatcherOptions {
  std::string ns;  // "" = all namespaces (or a cluster-scoped resource)
  std::string label_selector;
  std::string field_selector;
  int page_size = 500;
  int watch_timeout_seconds = 300;
  std::chrono::milliseconds min_backoff{200};
  std::chrono::milliseconds max_backoff{10'000};
};

class Watcher {
 public:
  struct Stats {
    std::uint64_t lists = 0;    // full lists done (1 + re-lists after 410)
    std::uint64_t watches = 0;  // watch requests made (1 + resumes)
    std::uint64_t events = 0;   // ADDED/MODIFIED/DELETED events delivered
    std::uint64_t gone = 0;     // 410s seen, as HTTP status or ERROR event
  };

  // `client` and `handler` must outlive the Watcher.
  Watcher(Client& client, ResourceRef ref, WatcherOptions options, WatchHandler& handler);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Starts the watcher's thread (once).
  void Start();
  // Ends the thread, interrupting a list, a watch or a backoff; returns within ~100 ms.
  void Stop();

  // The last resourceVersion seen (list, event or bookmark).
  std::string ResourceVersion() const;
  Stats GetStats() const;

 private:
  void Run();
  Result<void> ListAll();
  // One watch request; sets `gone` on 410 and `progressed` when an event or bookmark arrived.
  Result<void> WatchOnce(bool& gone, bool& progressed);
  void SetResourceVersion(const nlohmann::json& object);

  Client& client_;
  const ResourceRef ref_;
  const WatcherOptions options_;
  WatchHandler& handler_;
  Cancellation cancellation_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::string resource_version_;
  Stats stats_;
  std::thread thread_;
};

}  // namespace ss::kube
