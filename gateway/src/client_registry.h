// The WebSocket clients of each io thread, for what concerns them all: closing a client whose
// token has expired or was revoked (checked every second, against the verifier's cache and
// revocation list), and closing every client when the gateway stops.
// Each thread's list is touched only on that thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "authn/token.h"
#include "websocket_client.h"

namespace ss::gateway {

class ClientRegistry final : public ClientRoster {
 public:
  explicit ClientRegistry(std::shared_ptr<const authn::TokenVerifier> verifier);
  ClientRegistry(const ClientRegistry&) = delete;
  ClientRegistry& operator=(const ClientRegistry&) = delete;

  // The io threads' contexts; starts each one's expiry sweep.
  void Start(const std::vector<boost::asio::io_context*>& contexts);

  // On the client's thread.
  void Add(WebSocketClient& client) override;
  void Remove(WebSocketClient& client) override;

  // Closes every client with 1001 (going away) and ends their feeds; returns once every io
  // thread has started its closes (or after a second).
  void CloseAll();

 private:
  struct Thread {
    boost::asio::io_context* context;
    std::vector<WebSocketClient*> clients;
    std::unique_ptr<boost::asio::steady_timer> sweep;
    // Set by CloseAll on the thread itself: a sweep already under way does not re-arm.
    bool stopping = false;
  };

  Thread& ThreadOf(WebSocketClient& client);
  void Sweep(Thread& thread);

  std::shared_ptr<const authn::TokenVerifier> verifier_;
  std::vector<std::unique_ptr<Thread>> threads_;
};

}  // namespace ss::gateway
