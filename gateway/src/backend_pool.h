// The gRPC side of the gateway: one channel and one generic stub per backend, created once;
// unary calls through the callback API; and a background checker of each backend's
// grpc.health.v1 status, so that /health never calls anything.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ss::gateway {

struct BackendReply {
  grpc::Status status;
  // The serialized response message, when status is OK.
  std::string message;
  // The "retry-after" metadata of a failed call, if any.
  std::string retry_after;
};

struct CallMetadata {
  // The caller's bearer token as received ("Bearer ..."); empty for none.
  std::string_view authorization;
  std::string_view request_id;
  std::string_view client_address;
  std::chrono::milliseconds timeout{30000};
};

// Receives what a server-streaming call delivers, on gRPC threads; must not block. The next
// message is read once OnMessage returns.
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  // A serialized response message.
  virtual void OnMessage(std::string message) = 0;
  // The call ended (OK when the server ended it normally); the last call made.
  virtual void OnDone(const grpc::Status& status) = 0;
};

// An open server-streaming call; Cancel ends it (OnDone follows with CANCELLED).
class StreamCall {
 public:
  virtual ~StreamCall() = default;
  virtual void Cancel() = 0;
};

// What /health reports: every backend's state, pre-rendered.
struct HealthSnapshot {
  bool all_serving = false;
  std::string body;
};

class Backend;

// Backpressure towards each backend. A synchronous gRPC server refuses a call past its thread
// quota instead of queueing it, so the gateway keeps at most `max_in_flight` calls open per
// backend and queues the rest (their deadline runs while they wait); past `max_queued` a call is
// refused at once with UNAVAILABLE.
struct BackendLimits {
  int max_in_flight = 32;
  int max_queued = 4096;
};

// Where a backend is and which of its methods may be tried again on another replica.
struct BackendTarget {
  // A gRPC target: "host:port" (every address the name resolves to is used),
  // "dns://server/name:port" or "ipv4:a:port,b:port".
  std::string address;
  // "/pkg.Service/Method" of the reads (effect READ): retried when UNAVAILABLE.
  std::vector<std::string> retryable;
};

class BackendPool {
 public:
  // backend name → its target.
  explicit BackendPool(const std::map<std::string, BackendTarget>& targets,
                       BackendLimits limits = {});
  ~BackendPool();
  BackendPool(const BackendPool&) = delete;
  BackendPool& operator=(const BackendPool&) = delete;

  // nullptr for a backend without an address.
  Backend* Find(std::string_view name) const;

  // Calls `rpc_name` ("/pkg.Service/Method") with a serialized request. `done` runs once, on a
  // gRPC thread: it must not block.
  void Call(Backend& backend, const std::string& rpc_name, std::string request,
            const CallMetadata& metadata, std::function<void(BackendReply)> done);

  // Opens a server-streaming call to `rpc_name` with a serialized request and no deadline
  // (metadata.timeout is ignored). Streams do not count against the backend's in-flight limit.
  std::shared_ptr<StreamCall> OpenStream(Backend& backend, const std::string& rpc_name,
                                         std::string request, const CallMetadata& metadata,
                                         std::shared_ptr<StreamObserver> observer);

  // Checks every backend now and then every `interval` on a timer of the executor, until Stop.
  // Call Stop while the executor's context still exists and no thread runs it.
  void StartHealthChecks(boost::asio::any_io_executor executor, std::chrono::milliseconds interval);
  void Stop();

  std::shared_ptr<const HealthSnapshot> health() const { return health_.load(); }

 private:
  void CheckAll();
  void ScheduleChecks();
  void Publish();

  std::vector<std::unique_ptr<Backend>> backends_;
  std::atomic<std::shared_ptr<const HealthSnapshot>> health_;
  std::mutex publish_mutex_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::chrono::milliseconds interval_{2000};
  std::atomic<bool> stopped_{false};
};

}  // namespace ss::gateway
