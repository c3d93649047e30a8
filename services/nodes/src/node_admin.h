// The changes admins make to a node: labels, taints, cordon. Inputs are validated before
// anything is sent; each call answers the node object as stored after the change.
#pragma once

#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>
#include <string>

#include "kube/client.h"

namespace ss::nodes {

class NodeAdmin {
 public:
  explicit NodeAdmin(kube::Client& client) : client_(client) {}

  grpc::Status SetLabel(const std::string& node, const std::string& key, const std::string& value,
                        nlohmann::json* stored);
  // NOT_FOUND when the node has no such label.
  grpc::Status RemoveLabel(const std::string& node, const std::string& key, nlohmann::json* stored);
  // Replaces the value of a taint with the same key and effect, else appends.
  grpc::Status AddTaint(const std::string& node, const std::string& key, const std::string& value,
                        const std::string& effect, nlohmann::json* stored);
  // Every taint with `key` (only the one with `effect` when given); NOT_FOUND when none.
  grpc::Status RemoveTaint(const std::string& node, const std::string& key,
                           const std::string& effect, nlohmann::json* stored);
  grpc::Status SetUnschedulable(const std::string& node, bool unschedulable,
                                nlohmann::json* stored);

 private:
  grpc::Status Patch(const std::string& node, const nlohmann::json& patch, nlohmann::json* stored);

  kube::Client& client_;
};

}  // namespace ss::nodes
