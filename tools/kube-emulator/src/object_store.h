// Versioned object storage with a bounded history of changes for watches.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "json_util.h"

namespace kubeemu {

// One change, as a watch delivers it.
struct WatchEvent {
  std::uint64_t version = 0;
  std::string type;  // ADDED, MODIFIED, DELETED
  std::string resource;
  Json object;
  Json previous;  // the object before a MODIFIED change, null otherwise
};

// Objects keyed by resource ("group/plural"), namespace and name. Every write takes the next
// resourceVersion from one counter. Not thread-safe: the cluster lock guards it.
class ObjectStore {
 public:
  explicit ObjectStore(size_t history_window) : window_(history_window) {}

  const Json* Get(const std::string& resource, const std::string& ns,
                  const std::string& name) const;
  // Objects of a resource in a namespace ("" = all namespaces), ordered by namespace and name.
  std::vector<const Json*> List(const std::string& resource, const std::string& ns) const;
  std::vector<std::string> Resources() const;

  // Creates or replaces an object; stamps and returns it with its new resourceVersion.
  const Json& Put(const std::string& resource, Json object);
  // Removes an object, recording a DELETED event; returns the removed object.
  Json Erase(const std::string& resource, const std::string& ns, const std::string& name);

  std::uint64_t Version() const { return version_; }
  // True when the history no longer holds every change after `version` (the watch gets 410).
  bool TooOld(std::uint64_t version) const { return version < compacted_; }
  // Events after `version` for a resource, oldest first.
  std::vector<const WatchEvent*> EventsAfter(std::uint64_t version,
                                             const std::string& resource) const;

  // The whole store as JSON for persistence, and back.
  Json Snapshot() const;
  void Restore(const Json& snapshot);

 private:
  using Key = std::pair<std::string, std::string>;
  void Record(WatchEvent event);

  std::map<std::string, std::map<Key, Json>> objects_;
  std::deque<WatchEvent> history_;
  size_t window_;
  std::uint64_t version_ = 1;
  std::uint64_t compacted_ = 0;
};

}  // namespace kubeemu
