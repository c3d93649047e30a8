// Template resources in NAMESPACE: reads from a watch-fed cache, writes checked against the
// schema before they reach the cluster.
#pragma once

#include <grpcpp/support/status.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "kube/client.h"
#include "kube/watcher.h"
#include "streamspace/catalog/v1/catalog.pb.h"

namespace ss::catalog {

class ClusterTemplates final : public kube::WatchHandler {
 public:
  ClusterTemplates(kube::Client& client, std::string ns);
  ~ClusterTemplates() override;

  // Starts the watch; WaitSynced waits for the first full list.
  void Start();
  bool WaitSynced(std::chrono::milliseconds timeout);
  void Stop();

  grpc::Status List(const streamspace::catalog::v1::ListTemplatesRequest& request,
                    streamspace::catalog::v1::ListTemplatesResponse* response) const;
  grpc::Status Get(const std::string& name, streamspace::catalog::v1::Template* response) const;
  grpc::Status Create(const streamspace::catalog::v1::Template& request,
                      streamspace::catalog::v1::Template* response);
  // Creates a Template named `name` from a spec that already passed the schema check.
  grpc::Status CreateFromSpec(const std::string& name, const nlohmann::json& spec,
                              const std::map<std::string, std::string>& labels,
                              streamspace::catalog::v1::Template* response);
  grpc::Status Update(const streamspace::catalog::v1::UpdateTemplateRequest& request,
                      streamspace::catalog::v1::Template* response);
  grpc::Status Delete(const std::string& name);

  void OnListStart() override;
  void OnEvent(kube::WatchEventType type, const nlohmann::json& object) override;
  void OnSynced() override;
  void OnError(const kube::Error& error) override;

 private:
  void Remember(const nlohmann::json& object);

  kube::Client& client_;
  const std::string ns_;
  std::unique_ptr<kube::Watcher> watcher_;
  mutable std::mutex mutex_;
  std::condition_variable synced_changed_;
  bool synced_ = false;
  std::map<std::string, streamspace::catalog::v1::Template> templates_;
  std::set<std::string> listed_;  // names delivered since the last OnListStart
};

}  // namespace ss::catalog
