// Pod logs for their owners: users read only pods labelled streamspace.io/user-id=<their id>
// (anyone else's answers NOT_FOUND, as if it did not exist), admins and services any pod.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "cluster_cache.h"
#include "kube/client.h"
#include "rpc/call.h"

namespace ss::nodes {

// The last lines of a log that fit in `max_bytes` (a reply must stay far below the gateway's 4 MB
// gRPC receive limit): older lines are dropped as newer ones come.
class LastLines {
 public:
  explicit LastLines(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void Add(std::string_view line);
  std::deque<std::string>& lines() { return lines_; }

 private:
  const std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<std::string> lines_;
};

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
