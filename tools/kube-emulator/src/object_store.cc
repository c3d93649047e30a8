#include "object_store.h"

namespace kubeemu {
namespace {

std::string NamespaceOf(const Json& object) {
  return object["metadata"].value("namespace", "");
}

std::string NameOf(const Json& object) {
  return object["metadata"].value("name", "");
}

}  // namespace

const Json* ObjectStore::Get(const std::string& resource, const std::string& ns,
                             const std::string& name) const {
  const auto r = objects_.find(resource);
  if (r == objects_.end()) {
    return nullptr;
  }
  const auto it = r->second.find({ns, name});
  return it == r->second.end() ? nullptr : &it->second;
}

std::vector<const Json*> ObjectStore::List(const std::string& resource,
                                           const std::string& ns) const {
  std::vector<const Json*> out;
  const auto r = objects_.find(resource);
  if (r == objects_.end()) {
    return out;
  }
  for (const auto& [key, object] : r->second) {
    if (ns.empty() || key.first == ns) {
      out.push_back(&object);
    }
  }
  return out;
}

std::vector<std::string> ObjectStore::Resources() const {
  std::vector<std::string> out;
  for (const auto& [resource, objects] : objects_) {
    out.push_back(resource);
  }
  return out;
}

const Json& ObjectStore::Put(const std::string& resource, Json object) {
  ++version_;
  object["metadata"]["resourceVersion"] = std::to_string(version_);
  Key key{NamespaceOf(object), NameOf(object)};
  auto& slot = objects_[resource][key];
  WatchEvent event{version_, slot.is_null() ? "ADDED" : "MODIFIED", resource, object, slot};
  slot = std::move(object);
  Record(std::move(event));
  return slot;
}

Json ObjectStore::Erase(const std::string& resource, const std::string& ns,
                        const std::string& name) {
  auto r = objects_.find(resource);
  if (r == objects_.end()) {
    return nullptr;
  }
  auto it = r->second.find({ns, name});
  if (it == r->second.end()) {
    return nullptr;
  }
  Json object = std::move(it->second);
  r->second.erase(it);
  ++version_;
  object["metadata"]["resourceVersion"] = std::to_string(version_);
  Record({version_, "DELETED", resource, object, nullptr});
  return object;
}

void ObjectStore::Record(WatchEvent event) {
  history_.push_back(std::move(event));
  while (history_.size() > window_) {
    compacted_ = history_.front().version;
    history_.pop_front();
  }
}

std::vector<const WatchEvent*> ObjectStore::EventsAfter(std::uint64_t version,
                                                        const std::string& resource) const {
  std::vector<const WatchEvent*> out;
  auto it = std::partition_point(history_.begin(), history_.end(),
                                 [&](const WatchEvent& e) { return e.version <= version; });
  for (; it != history_.end(); ++it) {
    if (it->resource == resource) {
      out.push_back(&*it);
    }
  }
  return out;
}

Json ObjectStore::Snapshot() const {
  Json objects = Json::array();
  for (const auto& [resource, items] : objects_) {
    for (const auto& [key, object] : items) {
      objects.push_back({{"resource", resource}, {"object", object}});
    }
  }
  return {{"resourceVersion", version_}, {"objects", std::move(objects)}};
}

void ObjectStore::Restore(const Json& snapshot) {
  objects_.clear();
  history_.clear();
  for (const auto& entry : snapshot.value("objects", Json::array())) {
    const Json& object = entry["object"];
    objects_[entry["resource"].get<std::string>()][{NamespaceOf(object), NameOf(object)}] = object;
  }
  version_ = snapshot.value("resourceVersion", std::uint64_t{1});
  // Watches cannot resume across a restart from history that is gone.
  compacted_ = version_;
}

}  // namespace kubeemu
