// Pod logs for their owners: users read only pods labelled streamspace.io/user=<their name>
// (anyone else's answers NOT_FOUND, as if it did not exist), admins and services any pod.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>

#include "cluster_cache.h"
#include "kube/client.h"
#include "rpc/call.h"

namespace ss::nodes {

class PodLogReader {
 public:
  PodLogReader(kube::Client& client, const ClusterCache& cache) : client_(client), cache_(cache) {}

  grpc::Status Tail(const rpc::Principal& caller, const pb::GetPodLogsRequest& request,
                    pb::PodLogs* response);

  // Sends `log` events through `write` (false when the client is gone) until the log ends, then
  // one `end` event. `cancelled` is polled while no line comes.
  grpc::Status Follow(const rpc::Principal& caller, const pb::FollowPodLogsRequest& request,
                      const std::function<bool(const pb::PodLogEvent&)>& write,
                      const std::function<bool()>& cancelled);

 private:
  grpc::Status CheckAccess(const rpc::Principal& caller, const std::string& ns,
                           const std::string& pod) const;

  kube::Client& client_;
  const ClusterCache& cache_;
};

}  // namespace ss::nodes
