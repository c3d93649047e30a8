// A WebSocket route without `shared`: each client gets its own upstream call, made with its own
// token and its request built from the path and query like a REST GET. Every upstream message
// goes to the client as JSON; the end of the call closes the WebSocket (1000 when the server
// ended it, 1008 for PERMISSION_DENIED, NOT_FOUND and UNAUTHENTICATED, 1011 otherwise), and a
// client that goes away cancels the call. A client of the seed's protocol gets each message's
// seed_value field instead (a log line as a JSON string).
#pragma once

#include <memory>
#include <string>

#include "backend_pool.h"
#include "endpoint.h"
#include "websocket_client.h"

namespace ss::gateway {

// The upstream call of one client, as the REST side would make it.
struct ClientCall {
  std::string request;
  // "Bearer <token>".
  std::string authorization;
  std::string request_id;
  std::string client_address;
};

class ClientStream final : public WebSocketFeed,
                           public StreamObserver,
                           public std::enable_shared_from_this<ClientStream> {
 public:
  ClientStream(const Endpoint& endpoint, BackendPool& pool, Backend& backend, ClientCall call,
               WebSocketMetrics& metrics);

  void OnOpen(const std::shared_ptr<WebSocketClient>& client) override;
  void OnClosed(WebSocketClient& client) override;
  void OnMessage(std::string message) override;
  void OnDone(const grpc::Status& status) override;

 private:
  const Endpoint& endpoint_;
  BackendPool& pool_;
  Backend& backend_;
  ClientCall call_;
  // A copy: references into the registry, valid after the hub is gone.
  WebSocketMetrics metrics_;
  // Set on open; released when the call is done.
  std::shared_ptr<WebSocketClient> client_;
  std::shared_ptr<StreamCall> stream_;
};

}  // namespace ss::gateway
