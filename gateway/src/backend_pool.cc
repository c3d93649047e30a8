#include "backend_pool.h"

#include <deque>
#include <nlohmann/json.hpp>
#include <thread>

#include "rpc/health_check.h"

namespace ss::gateway {

namespace {

constexpr int kMaxResponseBytes = 64 << 20;

grpc::ByteBuffer ToByteBuffer(std::string bytes) {
  grpc::Slice slice(std::move(bytes));
  return grpc::ByteBuffer(&slice, 1);
}

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok())
    return out;
  out.reserve(buffer.Length());
  for (const auto& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// gRPC's service config of one backend: round robin over every address its name resolves to, and
// the reads retried (at most twice, within the call's deadline) when the replica they reached
// stopped: UNAVAILABLE (killed, or refusing new calls), or CANCELLED by a server that shuts down
// before it started them (the gateway's own cancellations are never retried). A read changes
// nothing, so another replica may answer.
std::string ServiceConfig(const std::vector<std::string>& retryable) {
  nlohmann::json names = nlohmann::json::array();
  for (const std::string& rpc : retryable) {
    const std::size_t slash = rpc.rfind('/');
    names.push_back({{"service", rpc.substr(1, slash - 1)}, {"method", rpc.substr(slash + 1)}});
  }
  nlohmann::json config = {{"loadBalancingConfig", {{{"round_robin", nlohmann::json::object()}}}}};
  if (!names.empty()) {
    config["methodConfig"] = {{{"name", std::move(names)},
                               {"retryPolicy",
                                {{"maxAttempts", 3},
                                 {"initialBackoff", "0.01s"},
                                 {"maxBackoff", "0.1s"},
                                 {"backoffMultiplier", 2},
                                 {"retryableStatusCodes", {"UNAVAILABLE", "CANCELLED"}}}}}};
  }
  return config.dump();
}

grpc::ChannelArguments ChannelArguments(const std::vector<std::string>& retryable) {
  grpc::ChannelArguments arguments;
  // gRPC's default 4 MiB would turn a large answer into RESOURCE_EXHAUSTED, which reads as 429.
  arguments.SetMaxReceiveMessageSize(kMaxResponseBytes);
  // A restarted backend is dialed again within seconds (gRPC's default backoff grows to 2 min),
  // so that the streams the gateway re-opens find it.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  // A backend's address may name several replicas (a DNS name with several addresses, as a
  // scaled compose service or a headless Service gives, or "ipv4:a:p,b:p"): calls go round them.
  // The name is resolved again when a connection ends, at most every second; the services end
  // connections after GRPC_MAX_CONNECTION_AGE, so a replica added later gets its share.
  arguments.SetServiceConfigJSON(ServiceConfig(retryable));
  arguments.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, 1000);
  return arguments;
}

void AddMetadata(grpc::ClientContext& context, const CallMetadata& metadata) {
  if (!metadata.authorization.empty()) {
    context.AddMetadata("authorization", std::string(metadata.authorization));
  }
  context.AddMetadata("x-request-id", std::string(metadata.request_id));
  context.AddMetadata("x-client-address", std::string(metadata.client_address));
}

// A server-streaming call through the generic stub's callback API, which offers only the bidi
// reactor: the one request is written as the last message, then responses are read until the end.
class StreamReactor final : public StreamCall,
                            public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(std::string request, std::shared_ptr<StreamObserver> observer)
      : request_(ToByteBuffer(std::move(request))), observer_(std::move(observer)) {}

  void Start(grpc::GenericStub& stub, const std::string& rpc_name, const CallMetadata& metadata,
             std::shared_ptr<StreamReactor> self) {
    AddMetadata(context_, metadata);
    self_ = std::move(self);
    stub.PrepareBidiStreamingCall(&context_, rpc_name, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void Cancel() override { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok)
      return;
    observer_->OnMessage(ToString(response_));
    response_.Clear();
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    auto observer = std::move(observer_);
    observer->OnDone(status);
    // The last reference may be this one: nothing of this object is touched after it.
    auto self = std::move(self_);
  }

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::shared_ptr<StreamObserver> observer_;
  std::shared_ptr<StreamReactor> self_;
};

struct PendingCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::string rpc_name;
  std::function<void(BackendReply)> done;
};

void Finish(std::unique_ptr<PendingCall> call, grpc::Status status) {
  BackendReply reply;
  if (status.ok()) {
    reply.message = ToString(call->response);
  } else {
    const auto& trailers = call->context.GetServerTrailingMetadata();
    const auto found = trailers.find("retry-after");
    if (found != trailers.end())
      reply.retry_after.assign(found->second.data(), found->second.size());
  }
  reply.status = std::move(status);
  call->done(std::move(reply));
}

// Runs task, and the tasks it queues through RunFlat while it runs, one after the other. A call
// started from a completion can complete inline (a channel that fails at once); starting the next
// queued call from there would recurse once per queued call, and this turns that into a loop.
void RunFlat(std::function<void()> task) {
  thread_local std::deque<std::function<void()>>* pending = nullptr;
  if (pending != nullptr) {
    pending->push_back(std::move(task));
    return;
  }
  std::deque<std::function<void()>> tasks;
  pending = &tasks;
  task();
  while (!tasks.empty()) {
    auto next = std::move(tasks.front());
    tasks.pop_front();
    next();
  }
  pending = nullptr;
}

}  // namespace

class Backend {
 public:
  Backend(std::string name, const BackendTarget& target, BackendLimits limits)
      : name_(std::move(name)),
        channel_(grpc::CreateCustomChannel(target.address, grpc::InsecureChannelCredentials(),
                                           ChannelArguments(target.retryable))),
        stub_(channel_),
        limits_(limits) {}

  const std::string& name() const { return name_; }
  grpc::GenericStub& stub() { return stub_; }

  std::string_view state() const { return rpc::ServingStateName(state_.load()); }
  // True when the state changed.
  bool SetState(rpc::ServingState state) { return state_.exchange(state) != state; }

  std::atomic<bool> checking{false};

  // Takes the call to start it now or queue it behind the calls in flight; false, leaving the call
  // with the caller, when the queue is full.
  bool Submit(std::unique_ptr<PendingCall>& call) {
    {
      std::lock_guard lock(mutex_);
      if (in_flight_ >= limits_.max_in_flight) {
        if (queued_.size() >= static_cast<std::size_t>(limits_.max_queued))
          return false;
        queued_.push_back(std::move(call));
        return true;
      }
      ++in_flight_;
    }
    Start(std::move(call));
    return true;
  }

 private:
  void Start(std::unique_ptr<PendingCall> call) {
    auto* raw = call.release();
    stub_.UnaryCall(&raw->context, raw->rpc_name, grpc::StubOptions(), &raw->request,
                    &raw->response, [this, raw](grpc::Status status) {
                      Finish(std::unique_ptr<PendingCall>(raw), std::move(status));
                      RunFlat([this] { StartNext(); });
                    });
  }

  void StartNext() {
    std::unique_ptr<PendingCall> next;
    {
      std::lock_guard lock(mutex_);
      if (queued_.empty()) {
        --in_flight_;
        return;
      }
      next = std::move(queued_.front());
      queued_.pop_front();
    }
    Start(std::move(next));
  }

  std::string name_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  BackendLimits limits_;
  std::mutex mutex_;
  int in_flight_ = 0;
  std::deque<std::unique_ptr<PendingCall>> queued_;
  std::atomic<rpc::ServingState> state_{rpc::kUnknown};
};

BackendPool::BackendPool(const std::map<std::string, BackendTarget>& targets,
                         BackendLimits limits) {
  for (const auto& [name, target] : targets) {
    backends_.push_back(std::make_unique<Backend>(name, target, limits));
  }
  Publish();
}

BackendPool::~BackendPool() {
  Stop();
  // A health check in flight calls back into this pool: wait for it (its deadline bounds this).
  for (const auto& backend : backends_) {
    while (backend->checking)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Backend* BackendPool::Find(std::string_view name) const {
  for (const auto& backend : backends_) {
    if (backend->name() == name)
      return backend.get();
  }
  return nullptr;
}

void BackendPool::Call(Backend& backend, const std::string& rpc_name, std::string request,
                       const CallMetadata& metadata, std::function<void(BackendReply)> done) {
  auto call = std::make_unique<PendingCall>();
  call->context.set_deadline(std::chrono::system_clock::now() + metadata.timeout);
  AddMetadata(call->context, metadata);
  call->request = ToByteBuffer(std::move(request));
  call->rpc_name = rpc_name;
  call->done = std::move(done);
  if (!backend.Submit(call)) {
    BackendReply reply;
    reply.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "backend overloaded");
    reply.retry_after = "1";
    call->done(std::move(reply));
  }
}

std::shared_ptr<StreamCall> BackendPool::OpenStream(Backend& backend, const std::string& rpc_name,
                                                    std::string request,
                                                    const CallMetadata& metadata,
                                                    std::shared_ptr<StreamObserver> observer) {
  auto call = std::make_shared<StreamReactor>(std::move(request), std::move(observer));
  call->Start(backend.stub(), rpc_name, metadata, call);
  return call;
}

void BackendPool::StartHealthChecks(boost::asio::any_io_executor executor,
                                    std::chrono::milliseconds interval) {
  interval_ = interval;
  timer_ = std::make_unique<boost::asio::steady_timer>(executor);
  CheckAll();
  ScheduleChecks();
}

void BackendPool::Stop() {
  stopped_ = true;
  timer_.reset();
}

void BackendPool::ScheduleChecks() {
  timer_->expires_after(interval_);
  timer_->async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_)
      return;
    CheckAll();
    ScheduleChecks();
  });
}

void BackendPool::CheckAll() {
  for (const auto& backend : backends_) {
    // A check that has not answered yet is not doubled.
    if (backend->checking.exchange(true))
      continue;
    auto call = std::make_unique<PendingCall>();
    call->context.set_deadline(std::chrono::system_clock::now() + interval_ / 2);
    // HealthCheckRequest{service: ""} serializes to nothing, but the buffer must exist.
    call->request = ToByteBuffer(std::string());
    auto* raw = call.release();
    Backend* target = backend.get();
    target->stub().UnaryCall(
        &raw->context, rpc::kHealthCheckMethod, grpc::StubOptions(), &raw->request, &raw->response,
        [this, raw, target](grpc::Status status) {
          std::unique_ptr<PendingCall> owned(raw);
          const rpc::ServingState state =
              status.ok() ? rpc::DecodeServingState(owned->response) : rpc::kNotServing;
          if (target->SetState(state))
            Publish();
          target->checking = false;
        });
  }
}

void BackendPool::Publish() {
  std::lock_guard lock(publish_mutex_);
  auto snapshot = std::make_shared<HealthSnapshot>();
  nlohmann::json backends = nlohmann::json::object();
  snapshot->all_serving = true;
  for (const auto& backend : backends_) {
    const auto state = backend->state();
    backends[backend->name()] = std::string(state);
    snapshot->all_serving = snapshot->all_serving && state == "SERVING";
  }
  nlohmann::json body = {{"status", snapshot->all_serving ? "ok" : "unavailable"},
                         {"backends", std::move(backends)}};
  snapshot->body = body.dump();
  health_.store(std::move(snapshot));
}

}  // namespace ss::gateway
