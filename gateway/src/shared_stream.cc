#include "shared_stream.h"

#include <spdlog/spdlog.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/post.hpp>
#include <optional>

#include "core/log.h"

namespace ss::gateway {

namespace net = boost::asio;

namespace {

constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
constexpr std::chrono::seconds kSeedInterval{1};

}  // namespace

struct SharedStream::Event {
  std::shared_ptr<const std::string> json;
  // Streams with a seed_value field: what the seed's clients get.
  std::shared_ptr<const std::string> seed_json;
  // Added, modified or deleted an object: the seed's lists change.
  bool changes_objects = false;
  // The owner of the object the event is about, when it names one.
  std::string owner;
  bool has_owner = false;
  // The first snapshot arrived: clients that wait for it get theirs.
  bool snapshot_ready = false;
  std::uint64_t seq = 0;
};

// One subscription: relays the call's callbacks to the stream.
struct SharedStream::Attempt final : StreamObserver {
  explicit Attempt(std::shared_ptr<SharedStream> stream) : stream(std::move(stream)) {}
  void OnMessage(std::string message) override {
    received = true;
    stream->OnUpstreamMessage(message);
  }
  void OnDone(const grpc::Status& status) override { stream->OnUpstreamDone(status, received); }

  std::shared_ptr<SharedStream> stream;
  bool received = false;
};

SharedStream::SharedStream(const Endpoint& endpoint, BackendPool& pool, Backend& backend,
                           ServiceTokenSource token_source, std::vector<net::io_context*> contexts,
                           net::io_context& upstream, WebSocketMetrics& metrics)
    : endpoint_(endpoint),
      codec_(endpoint),
      pool_(pool),
      backend_(backend),
      token_source_(std::move(token_source)),
      upstream_(upstream),
      metrics_(metrics),
      retry_timer_(upstream),
      backoff_(kMinBackoff) {
  for (auto* context : contexts) {
    Shard shard;
    shard.context = context;
    shard.seed_timer = std::make_unique<net::steady_timer>(*context);
    shards_.push_back(std::move(shard));
  }
}

SharedStream::~SharedStream() = default;

void SharedStream::OnOpen(const std::shared_ptr<WebSocketClient>& client) {
  Shard* shard = &shards_.front();
  for (auto& candidate : shards_) {
    if (candidate.context == &client->executor().context())
      shard = &candidate;
  }
  client->slot = static_cast<std::uint32_t>(shard->clients.size());
  shard->clients.push_back(client.get());
  if (endpoint_.stream.snapshot != nullptr) {
    SendSnapshot(*client);
  } else {
    std::shared_ptr<const std::string> last;
    {
      std::lock_guard lock(mutex_);
      client->seq = seq_;
      last = client->seed && endpoint_.stream.seed_value != nullptr ? last_seed_ : last_;
    }
    if (last)
      client->Send(std::move(last));
  }
  if (!started_.exchange(true))
    net::post(upstream_, [self = shared_from_this()] { self->Subscribe(); });
}

void SharedStream::OnClosed(WebSocketClient& client) {
  if (client.slot == WebSocketClient::kNoSlot)
    return;
  for (auto& shard : shards_) {
    if (shard.context != &client.executor().context())
      continue;
    auto* moved = shard.clients.back();
    shard.clients[client.slot] = moved;
    moved->slot = client.slot;
    shard.clients.pop_back();
    if (shard.clients.empty())
      shard.clients.shrink_to_fit();
  }
  client.slot = WebSocketClient::kNoSlot;
}

void SharedStream::Stop() {
  stopped_ = true;
  {
    std::lock_guard lock(call_mutex_);
    if (call_)
      call_->Cancel();
  }
  net::post(upstream_, [self = shared_from_this()] { self->retry_timer_.cancel(); });
}

void SharedStream::Subscribe() {
  if (stopped_)
    return;
  std::string token;
  const auto status = token_source_(&token);
  if (!status.ok()) {
    spdlog::warn("{}: no service token for the shared stream: {}", endpoint_.path_text,
                 status.error_message());
    return Retry();
  }
  const std::string authorization = "Bearer " + token;
  const std::string request_id = core::NewRequestId();
  CallMetadata metadata;
  metadata.authorization = authorization;
  metadata.request_id = request_id;
  spdlog::debug("{}: subscribing to {}", endpoint_.path_text, endpoint_.rpc_name);
  metrics_.upstreams.Add(1);
  std::lock_guard lock(call_mutex_);
  call_ = pool_.OpenStream(backend_, endpoint_.rpc_name, std::string(), metadata,
                           std::make_shared<Attempt>(shared_from_this()));
}

void SharedStream::Retry() {
  if (stopped_)
    return;
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error)
      self->Subscribe();
  });
}

void SharedStream::OnUpstreamDone(const grpc::Status& status, bool received) {
  metrics_.upstreams.Add(-1);
  // Once stopped, the upstream thread may be gone.
  if (stopped_)
    return;
  if (received) {
    spdlog::info("{}: upstream stream ended ({} {}); subscribing again", endpoint_.path_text,
                 static_cast<int>(status.error_code()), status.error_message());
  } else {
    spdlog::debug("{}: subscription failed ({} {})", endpoint_.path_text,
                  static_cast<int>(status.error_code()), status.error_message());
  }
  net::post(upstream_, [self = shared_from_this(), received] {
    if (received)
      self->backoff_ = kMinBackoff;
    self->Retry();
  });
}

void SharedStream::OnUpstreamMessage(const std::string& bytes) {
  StreamMessage message;
  if (!codec_.Decode(bytes, &message).ok()) {
    spdlog::warn("{}: dropped a malformed upstream message", endpoint_.path_text);
    return;
  }
  if (endpoint_.stream.snapshot != nullptr && message.type == "snapshot")
    return ApplySnapshot(std::move(message.snapshot));
  Event event;
  event.json = message.json;
  event.seed_json = message.seed_json;
  event.has_owner = message.has_object;
  event.owner = message.object.owner;
  event.changes_objects =
      message.has_object &&
      (message.type == "added" || message.type == "modified" || message.type == "deleted");
  std::shared_ptr<const Event> numbered;
  {
    std::lock_guard lock(mutex_);
    if (endpoint_.stream.snapshot == nullptr) {
      last_ = message.json;
      last_seed_ = message.seed_json;
    } else if (message.has_object && (message.type == "added" || message.type == "modified")) {
      auto key = message.object.key;
      objects_.insert_or_assign(std::move(key), std::move(message.object));
    } else if (message.has_object && message.type == "deleted") {
      objects_.erase(message.object.key);
    }
    numbered = Number(std::move(event));
  }
  Post(std::move(numbered));
}

void SharedStream::ApplySnapshot(std::vector<StreamObject> objects) {
  std::map<std::string, StreamObject> next;
  for (auto& object : objects) {
    auto key = object.key;
    next.insert_or_assign(std::move(key), std::move(object));
  }
  // Only this side changes the objects: they are read here without the lock.
  std::vector<Event> deltas;
  auto delta = [&](const char* type, const StreamObject& object) {
    Event event;
    event.json = codec_.EventJson(type, object.bytes);
    event.owner = object.owner;
    event.has_owner = true;
    event.changes_objects = true;
    deltas.push_back(std::move(event));
  };
  if (ready_) {
    for (const auto& [key, object] : next) {
      const auto old = objects_.find(key);
      if (old == objects_.end()) {
        delta("added", object);
      } else if (*old->second.json != *object.json) {
        delta("modified", object);
      }
    }
    for (const auto& [key, object] : objects_) {
      if (next.count(key) == 0)
        delta("deleted", object);
    }
  }
  std::vector<std::shared_ptr<const Event>> numbered;
  {
    std::lock_guard lock(mutex_);
    objects_.swap(next);
    if (!ready_) {
      ready_ = true;
      Event event;
      event.snapshot_ready = true;
      numbered.push_back(Number(std::move(event)));
    }
    for (auto& event : deltas)
      numbered.push_back(Number(std::move(event)));
  }
  if (!deltas.empty()) {
    spdlog::info("{}: {} changes while re-subscribing", endpoint_.path_text, deltas.size());
  }
  for (auto& event : numbered)
    Post(std::move(event));
}

std::shared_ptr<const SharedStream::Event> SharedStream::Number(Event event) {
  event.seq = ++seq_;
  return std::make_shared<const Event>(std::move(event));
}

void SharedStream::Post(std::shared_ptr<const Event> event) {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    net::post(*shards_[i].context,
              [self = shared_from_this(), i, event] { self->Deliver(self->shards_[i], *event); });
  }
}

void SharedStream::Deliver(Shard& shard, const Event& event) {
  // Send neither adds nor removes clients: the list stays as it is during the loop.
  for (auto* client : shard.clients) {
    if (event.snapshot_ready) {
      if (client->awaiting_snapshot)
        SendSnapshot(*client);
      continue;
    }
    if (client->awaiting_snapshot || event.seq <= client->seq ||
        !Visible(event.owner, event.has_owner, client->identity())) {
      continue;
    }
    if (!client->seed) {
      client->Send(event.json);
    } else if (!endpoint_.stream.seed_list_type.empty()) {
      if (event.changes_objects)
        SeedChanged(shard, *client);
    } else if (event.seed_json) {
      client->Send(event.seed_json);
    }
  }
}

void SharedStream::SeedChanged(Shard& shard, WebSocketClient& client) {
  const auto due = client.seed_sent + kSeedInterval;
  if (std::chrono::steady_clock::now() >= due)
    return SendSeedList(client);
  client.seed_dirty = true;
  ArmSeedTimer(shard, due);
}

void SharedStream::ArmSeedTimer(Shard& shard, std::chrono::steady_clock::time_point due) {
  if (shard.seed_timer_armed && shard.seed_due <= due)
    return;
  shard.seed_timer_armed = true;
  shard.seed_due = due;
  // Re-arming cancels the wait before: that one ends with operation_aborted.
  shard.seed_timer->expires_at(due);
  shard.seed_timer->async_wait(
      [self = shared_from_this(), &shard](const boost::system::error_code& error) {
        if (error)
          return;
        shard.seed_timer_armed = false;
        self->FlushSeedLists(shard);
      });
}

void SharedStream::FlushSeedLists(Shard& shard) {
  const auto now = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> next;
  for (auto* client : shard.clients) {
    if (!client->seed_dirty)
      continue;
    const auto due = client->seed_sent + kSeedInterval;
    if (now >= due) {
      SendSeedList(*client);
    } else if (!next || due < *next) {
      next = due;
    }
  }
  if (next)
    ArmSeedTimer(shard, *next);
}

void SharedStream::SendSeedList(WebSocketClient& client) {
  std::shared_ptr<const std::string> list;
  {
    std::lock_guard lock(mutex_);
    if (!ready_) {
      client.awaiting_snapshot = true;
      return;
    }
    const bool everything = endpoint_.stream.owner == nullptr || client.identity().privileged;
    if (everything && full_seed_list_ && full_seed_list_seq_ == seq_) {
      list = full_seed_list_;
    } else {
      std::vector<std::shared_ptr<const std::string>> visible;
      for (const auto& [key, object] : objects_) {
        if (Visible(object.owner, true, client.identity()))
          visible.push_back(object.json);
      }
      list = std::make_shared<const std::string>(codec_.SeedListJson(visible));
      if (everything) {
        full_seed_list_ = list;
        full_seed_list_seq_ = seq_;
      }
    }
    client.seq = seq_;
  }
  client.awaiting_snapshot = false;
  client.seed_dirty = false;
  client.seed_sent = std::chrono::steady_clock::now();
  client.Send(std::move(list));
}

void SharedStream::SendSnapshot(WebSocketClient& client) {
  if (client.seed && !endpoint_.stream.seed_list_type.empty())
    return SendSeedList(client);
  std::vector<std::shared_ptr<const std::string>> visible;
  {
    std::lock_guard lock(mutex_);
    if (!ready_) {
      client.awaiting_snapshot = true;
      return;
    }
    for (const auto& [key, object] : objects_) {
      if (Visible(object.owner, true, client.identity()))
        visible.push_back(object.json);
    }
    client.seq = seq_;
  }
  client.awaiting_snapshot = false;
  client.Send(std::make_shared<const std::string>(codec_.SnapshotJson(visible)));
}

bool SharedStream::Visible(const std::string& owner, bool has_owner,
                           const ClientIdentity& identity) const {
  if (endpoint_.stream.owner == nullptr || identity.privileged)
    return true;
  return has_owner && boost::iequals(owner, identity.username);
}

}  // namespace ss::gateway
