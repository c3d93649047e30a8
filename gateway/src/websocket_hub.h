// The WebSocket routes: the metrics of each, the shared upstream stream of each shared route, and
// the thread that opens those streams (it may wait for the gateway's service token) and times
// their re-subscriptions.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "client_registry.h"
#include "client_stream.h"
#include "shared_stream.h"

namespace ss::gateway {

// An accepted upgrade of a WebSocket route.
struct WebSocketUpgrade {
  HttpRequest request;
  ClientIdentity identity;
  // The client offered the subprotocol streamspace.v1.
  bool answer_protocol = false;
  // The client gets the seed's messages (WebSocketShape::has_seed, without the subprotocol).
  bool seed = false;
  // Routes without `shared`: the client's own upstream call.
  ClientCall call;
};

class WebSocketHub {
 public:
  // `verifier` checks the clients' tokens again while they are connected.
  WebSocketHub(BackendPool& pool, ServiceTokenSource token_source,
               std::shared_ptr<const authn::TokenVerifier> verifier, WebSocketOptions options,
               metrics::Registry& registry);
  ~WebSocketHub();
  WebSocketHub(const WebSocketHub&) = delete;
  WebSocketHub& operator=(const WebSocketHub&) = delete;

  // Serves a WebSocket endpoint (at start-up, before Start).
  void AddRoute(const Endpoint& endpoint, Backend& backend);

  // Starts the upstream thread; clients will live on these io threads.
  void Start(std::vector<boost::asio::io_context*> contexts);

  // What takes the upgraded connection over.
  Upgrader Accept(const Endpoint& endpoint, WebSocketUpgrade upgrade);

  // Closes every client (1001), ends every upstream stream and the upstream thread.
  void Stop();

 private:
  struct Route {
    Backend* backend;
    std::unique_ptr<WebSocketMetrics> metrics;
    std::shared_ptr<SharedStream> shared;
  };

  BackendPool& pool_;
  ServiceTokenSource token_source_;
  WebSocketOptions options_;
  metrics::Registry& registry_;
  std::map<const Endpoint*, Route> routes_;
  ClientRegistry clients_;
  boost::asio::io_context upstream_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace ss::gateway
