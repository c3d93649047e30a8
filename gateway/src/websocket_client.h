// One WebSocket client of a streaming route, after the HTTP upgrade: a bounded queue of JSON
// messages shared with other clients, keepalive pings, and a close with a code. Everything but
// construction runs on the connection's io thread. Kept small: a gateway holds ten thousand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_server.h"
#include "metrics/registry.h"

namespace ss::gateway {

struct WebSocketOptions {
  // A ping goes out after this long without hearing from the client; a client silent for twice
  // as long is closed.
  std::chrono::milliseconds ping_interval{20000};
  // Bytes queued for a client (not yet written to its socket) beyond which it is closed with
  // 1013 rather than buffered.
  std::size_t max_queue_bytes = 1 << 20;
  // The upgrade handshake, and the closing handshake, may take this long.
  std::chrono::milliseconds handshake_timeout{10000};
};

// The series of one WebSocket route.
struct WebSocketMetrics {
  WebSocketMetrics(metrics::Registry& registry, const std::string& route);
  metrics::Gauge& clients;
  metrics::Gauge& upstreams;
  metrics::Counter& slow_closes;
};

// Who a client is, from its token.
struct ClientIdentity {
  std::string username;
  // admin or service: receives every object of a shared stream.
  bool privileged = false;
  // The token the client signed in with (empty on a public route): checked again every second,
  // so that a client whose token expires or is revoked is closed with 1008.
  std::string token;
};

class WebSocketClient;

// What feeds a client, told when it opens and when it goes away (on the client's thread).
class WebSocketFeed {
 public:
  virtual ~WebSocketFeed() = default;
  virtual void OnOpen(const std::shared_ptr<WebSocketClient>& client) = 0;
  virtual void OnClosed(WebSocketClient& client) = 0;
};

// Where a client is listed while it is open (the ClientRegistry), told when it opens and when it
// ends (on the client's thread). An interface, so that the client does not depend on the registry
// that depends on it.
class ClientRoster {
 public:
  virtual ~ClientRoster() = default;
  virtual void Add(WebSocketClient& client) = 0;
  virtual void Remove(WebSocketClient& client) = 0;
};

class WebSocketClient : public std::enable_shared_from_this<WebSocketClient> {
 public:
  using Message = std::shared_ptr<const std::string>;
  using Executor = boost::asio::io_context::executor_type;

  WebSocketClient(Socket socket, const WebSocketOptions& options, WebSocketMetrics& metrics,
                  ClientRoster& roster, ClientIdentity identity,
                  std::shared_ptr<WebSocketFeed> feed);
  ~WebSocketClient();

  // Answers the upgrade request (with the subprotocol streamspace.v1 when `answer_protocol`),
  // then tells the feed.
  void Accept(HttpRequest request, bool answer_protocol);

  // Queues a text message. A client whose queue would pass the limit is closed with 1013 and the
  // message dropped.
  void Send(Message message);
  // Closes with this code once what is queued is written.
  void Close(boost::beast::websocket::close_code code, std::string_view reason);
  // The gateway stops: closes with 1001 and ends the feed at once.
  void GoAway();

  const ClientIdentity& identity() const { return identity_; }
  Executor executor() { return ws_.get_executor(); }

  // A shared feed's bookkeeping (its thread only): the client's index in the feed's list, the
  // sequence number of the last event included in what it was sent, and whether it waits for
  // the feed's first snapshot.
  static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};
  std::uint32_t slot = kNoSlot;
  bool awaiting_snapshot = false;
  std::uint64_t seq = 0;
  // The feed sends it the seed's messages; a shared list's last send, and whether a change waits
  // for the next one (at most one a second).
  bool seed = false;
  bool seed_dirty = false;
  std::chrono::steady_clock::time_point seed_sent;
  // The client's index in its thread's list of the roster.
  std::uint32_t roster_slot = kNoSlot;

 private:
  void OnAccept(boost::beast::error_code error);
  void Read();
  void WriteNext();
  void OnWrite(boost::beast::error_code error);
  void StartClose();
  // Drops the connection without a closing handshake.
  void Abort();
  void Finish();

  boost::beast::websocket::stream<Socket, false> ws_;
  const WebSocketOptions& options_;
  WebSocketMetrics& metrics_;
  ClientRoster& roster_;
  ClientIdentity identity_;
  std::shared_ptr<WebSocketFeed> feed_;
  // Only during the handshake.
  std::unique_ptr<HttpRequest> request_;
  // Only while closing a client that does not read.
  std::unique_ptr<boost::asio::steady_timer> abort_timer_;
  // Frames from the client are read and dropped: it has nothing to say but pings and close.
  boost::beast::flat_buffer read_buffer_;
  // queue_[head_] is being written while writing_.
  std::vector<Message> queue_;
  std::size_t head_ = 0;
  std::size_t queued_bytes_ = 0;
  // Set by Close: the close frame to send once the queue is written.
  std::unique_ptr<boost::beast::websocket::close_reason> close_reason_;
  bool writing_ = false;
  bool opened_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

}  // namespace ss::gateway
