// The one Kubernetes client: plain REST, JSON in and out, every failure a kube::Error value.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/cancellation.h"
#include "kube/config.h"
#include "kube/error.h"
#include "kube/resource.h"

namespace ss::kube {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int limit = 0;               // page size; 0 = everything at once
  std::string continue_token;  // from the previous page
  std::string resource_version;
  Cancellation* cancellation = nullptr;  // lets a watcher's Stop() end a list
};

struct ListPage {
  std::vector<nlohmann::json> items;
  std::string resource_version;
  std::string continue_token;  // empty on the last page
};

// The content type of a PATCH; exactly one per call.
enum class PatchType {
  kMerge,           // application/merge-patch+json (custom resources, and anything)
  kStrategicMerge,  // application/strategic-merge-patch+json (built-in kinds only)
  kJson,            // application/json-patch+json (a list of operations)
};

struct DeleteOptions {
  std::optional<int> grace_period_seconds;
  std::string propagation_policy;  // Foreground, Background, Orphan; empty = server default
  std::string precondition_resource_version;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // watch changes after this version
  bool allow_bookmarks = true;
  int timeout_seconds = 300;  // the server ends the watch after this; the caller resumes
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

// One line of a watch stream, parsed.
struct WatchEvent {
  WatchEventType type;
  nlohmann::json object;  // the object; a Status for kError
};

struct LogOptions {
  std::string container;
  bool follow = false;
  std::optional<int> tail_lines;
  std::optional<int> since_seconds;
  bool timestamps = false;
};

// Returns false to end the stream early (not an error).
using LineHandler = std::function<bool(std::string_view line)>;
using WatchEventHandler = std::function<bool(WatchEvent& event)>;

// A Kubernetes API client. Thread-safe; connections are pooled and reused.
class Client {
 public:
  virtual ~Client() = default;

  virtual const std::string& DefaultNamespace() const = 0;

  virtual Result<nlohmann::json> Get(const ResourceRef& ref, std::string_view ns,
                                     std::string_view name) = 0;
  virtual Result<ListPage> List(const ResourceRef& ref, std::string_view ns,
                                const ListOptions& options = {}) = 0;
  virtual Result<nlohmann::json> Create(const ResourceRef& ref, std::string_view ns,
                                        const nlohmann::json& object) = 0;
  // PUT; the object's metadata.resourceVersion makes it conditional (409 when stale).
  virtual Result<nlohmann::json> Replace(const ResourceRef& ref, std::string_view ns,
                                         std::string_view name, const nlohmann::json& object) = 0;
  // PUT of the status subresource.
  virtual Result<nlohmann::json> ReplaceStatus(const ResourceRef& ref, std::string_view ns,
                                               std::string_view name,
                                               const nlohmann::json& object) = 0;
  // Strategic merge on a custom resource is refused before sending (the API would answer 415).
  virtual Result<nlohmann::json> Patch(const ResourceRef& ref, std::string_view ns,
                                       std::string_view name, PatchType type,
                                       const nlohmann::json& patch) = 0;
  // Returns what the server answered: the deleted object, or a Status.
  virtual Result<nlohmann::json> Delete(const ResourceRef& ref, std::string_view ns,
                                        std::string_view name,
                                        const DeleteOptions& options = {}) = 0;

  // Creates a policy/v1 Eviction for a pod. A disruption budget that forbids it comes back as
  // an Error with IsDisruptionBudget() (HTTP 429), not retried here: the caller decides when to
  // try again (a drain loops).
  virtual Result<void> Evict(std::string_view ns, std::string_view pod,
                             std::optional<int> grace_period_seconds = std::nullopt) = 0;

  // Streams a pod's log line by line (without the newline) until it ends, `on_line` returns
  // false, or `cancellation` is cancelled (then the Error IsCancelled()).
  virtual Result<void> StreamLogs(std::string_view ns, std::string_view pod,
                                  const LogOptions& options, const LineHandler& on_line,
                                  Cancellation* cancellation = nullptr) = 0;

  // One watch request: hands each event to `on_event` until the server ends the stream
  // (returns ok), the handler returns false, or it is cancelled. An expired version comes as
  // an Error with IsGone() (HTTP 410) or as a kError event carrying a Status with code 410.
  // Watcher builds list-then-watch with resume and re-list on this.
  virtual Result<void> Watch(const ResourceRef& ref, std::string_view ns,
                             const WatchOptions& options, const WatchEventHandler& on_event,
                             Cancellation* cancellation = nullptr) = 0;
};

using ClientPtr = std::unique_ptr<Client>;

// A client for `config`. Throws std::invalid_argument on a config it cannot use (start-up).
ClientPtr MakeClient(Config config);

// Reads the object, lets `mutate` change it (return false to leave it as it is), and replaces
// it; on 409 Conflict it reads again and retries, up to `attempts` times. Returns the stored
// object.
Result<nlohmann::json> UpdateWithRetry(Client& client, const ResourceRef& ref, std::string_view ns,
                                       std::string_view name,
                                       const std::function<bool(nlohmann::json&)>& mutate,
                                       int attempts = 5);

}  // namespace ss::kube
