// One upstream stream per gateway process for a shared WebSocket route, opened with the gateway's
// `service` identity when the first client joins, fanned out to every client. Each upstream
// message is turned into JSON once; the same buffer goes to every client that may see it. With
// an object field it keeps the latest copy of every object, so that a joining client gets a
// snapshot at once, and after a re-subscription it turns the new snapshot into the deltas clients
// missed. Fan-out posts one task per io thread, which walks that thread's clients.
// Clients of the seed's protocol (WebSocketClient::seed) get, with seed_list_type, the whole list
// they may see after each change instead of deltas, at most one a second each (a change within
// the second waits for a timer of their thread); with seed_value, each message's value; warnings
// about objects are not sent to them (the seed's UI knows only its lists).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backend_pool.h"
#include "endpoint.h"
#include "stream_codec.h"
#include "websocket_client.h"

namespace ss::gateway {

// Gets the gateway's `service` token; may block (it runs on the upstream thread).
using ServiceTokenSource = std::function<grpc::Status(std::string* token)>;

class SharedStream final : public WebSocketFeed, public std::enable_shared_from_this<SharedStream> {
 public:
  // `contexts` are the io threads' contexts (every client lives on one of them); `upstream` runs
  // the subscriptions and their backoff timers.
  SharedStream(const Endpoint& endpoint, BackendPool& pool, Backend& backend,
               ServiceTokenSource token_source, std::vector<boost::asio::io_context*> contexts,
               boost::asio::io_context& upstream, WebSocketMetrics& metrics);
  ~SharedStream() override;

  void OnOpen(const std::shared_ptr<WebSocketClient>& client) override;
  void OnClosed(WebSocketClient& client) override;

  // Ends the upstream call and stops re-subscribing.
  void Stop();

 private:
  struct Event;
  struct Attempt;
  // The clients of one io thread; touched only on that thread.
  struct Shard {
    boost::asio::io_context* context;
    std::vector<WebSocketClient*> clients;
    // Sends the seed lists that wait for their second.
    std::unique_ptr<boost::asio::steady_timer> seed_timer;
    bool seed_timer_armed = false;
    std::chrono::steady_clock::time_point seed_due;
  };

  void Subscribe();
  void Retry();
  void OnUpstreamMessage(const std::string& bytes);
  void OnUpstreamDone(const grpc::Status& status, bool received);
  void ApplySnapshot(std::vector<StreamObject> objects);
  // Under the lock: numbers the event and returns it ready to post.
  std::shared_ptr<const Event> Number(Event event);
  void Post(std::shared_ptr<const Event> event);
  void Deliver(Shard& shard, const Event& event);
  void SendSnapshot(WebSocketClient& client);
  void SendSeedList(WebSocketClient& client);
  // A change the seed client may see: its list now, or when its second is over.
  void SeedChanged(Shard& shard, WebSocketClient& client);
  void ArmSeedTimer(Shard& shard, std::chrono::steady_clock::time_point due);
  void FlushSeedLists(Shard& shard);
  bool Visible(const std::string& owner, bool has_owner, const ClientIdentity& identity) const;

  const Endpoint& endpoint_;
  StreamCodec codec_;
  BackendPool& pool_;
  Backend& backend_;
  ServiceTokenSource token_source_;
  std::vector<Shard> shards_;
  boost::asio::io_context& upstream_;
  // A copy: references into the registry, valid after the hub is gone.
  WebSocketMetrics metrics_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};

  // The upstream side (upstream thread and the call's gRPC callbacks, one at a time).
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds backoff_;
  std::mutex call_mutex_;
  std::shared_ptr<StreamCall> call_;

  // What joining clients read: guarded by mutex_, changed only by the upstream side.
  mutable std::mutex mutex_;
  std::uint64_t seq_ = 0;
  bool ready_ = false;
  std::map<std::string, StreamObject> objects_;
  std::shared_ptr<const std::string> last_;
  std::shared_ptr<const std::string> last_seed_;
  // The list of every object for privileged seed clients, made at most once per change.
  std::shared_ptr<const std::string> full_seed_list_;
  std::uint64_t full_seed_list_seq_ = 0;
};

}  // namespace ss::gateway
