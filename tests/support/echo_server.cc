// echo-server: serves streamspace.testing.v1.EchoService, answering every call with what it
// received (the request as JSON and the metadata the gateway sent), so that a test can check how
// the gateway transcoded a request. Fail answers with the status it is asked for. WatchItems and
// WatchTicks (and WatchItemLists, WatchTickValues) stream what Publish sends (WatchItems a
// snapshot of the items first; ECHO_SEED, a PublishRequest as JSON, gives the items it starts
// with), FollowItem and FollowItemValues stream what they are asked to, and GetStreamStats counts
// the streams. ListItems makes a list, SignIn and SignOut answer with the token they are given,
// Go and FinishSignIn with the location and token, GetDocument with the text.
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <source_location>
#include <thread>

#include "authn/remote.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "rpc/handler.h"
#include "rpc/server.h"
#include "streamspace/testing/v1/echo.grpc.pb.h"

namespace {

namespace echo = streamspace::testing::v1;

const google::protobuf::ServiceDescriptor& EchoDescriptor() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      echo::EchoService::service_full_name());
}

std::string Metadata(const grpc::ServerContext& context, const std::string& key) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(key);
  return found == metadata.end() ? std::string()
                                 : std::string(found->second.data(), found->second.size());
}

// How often a waiting stream looks whether its call was cancelled.
constexpr auto kPoll = std::chrono::milliseconds(50);

// The messages published to one open stream, waiting to be written.
template <typename Event>
struct Outbox {
  std::deque<Event> events;
};

class EchoService final : public echo::EchoService::Service {
 public:
  EchoService(std::shared_ptr<const ss::authn::TokenVerifier> verifier, std::string replica)
      : guard_(EchoDescriptor(), std::move(verifier)), replica_(std::move(replica)) {}

  void Seed(const echo::PublishRequest& request) {
    std::lock_guard lock(mutex_);
    for (const auto& event : request.events())
      Apply(event);
  }

  grpc::Status WatchItems(grpc::ServerContext* context, const echo::WatchItemsRequest* request,
                          grpc::ServerWriter<echo::ItemEvent>* writer) override {
    return StreamItems(*context, *request, *writer);
  }
  grpc::Status WatchItemLists(grpc::ServerContext* context, const echo::WatchItemsRequest* request,
                              grpc::ServerWriter<echo::ItemEvent>* writer) override {
    return StreamItems(*context, *request, *writer);
  }

  grpc::Status WatchTicks(grpc::ServerContext* context, const echo::WatchTicksRequest* request,
                          grpc::ServerWriter<echo::Tick>* writer) override {
    return StreamTicks(*context, *request, *writer);
  }
  grpc::Status WatchTickValues(grpc::ServerContext* context, const echo::WatchTicksRequest* request,
                               grpc::ServerWriter<echo::Tick>* writer) override {
    return StreamTicks(*context, *request, *writer);
  }

  grpc::Status FollowItem(grpc::ServerContext* context, const echo::FollowItemRequest* request,
                          grpc::ServerWriter<echo::FollowEvent>* writer) override {
    return Follow(*context, *request, *writer);
  }
  grpc::Status FollowItemValues(grpc::ServerContext* context,
                                const echo::FollowItemRequest* request,
                                grpc::ServerWriter<echo::FollowEvent>* writer) override {
    return Follow(*context, *request, *writer);
  }

  grpc::Status ListItems(grpc::ServerContext* context, const echo::ListItemsRequest* request,
                         echo::ItemList* reply) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      reply->set_shelf(request->shelf());
      for (int i = 0; i < request->count(); ++i) {
        auto* item = reply->add_items();
        item->set_name(request->shelf() + "-" + std::to_string(i));
        item->set_size(i);
      }
      if (request->count() > 0)
        *reply->mutable_first() = reply->items(0);
      return grpc::Status::OK;
    });
  }

  grpc::Status SignIn(grpc::ServerContext* context, const echo::SignInRequest* request,
                      echo::SignInResponse* reply) override {
    return SignAnswer(*context, *request, reply);
  }
  grpc::Status SignOut(grpc::ServerContext* context, const echo::SignInRequest* request,
                       echo::SignInResponse* reply) override {
    return SignAnswer(*context, *request, reply);
  }

  grpc::Status Go(grpc::ServerContext* context, const echo::GoRequest* request,
                  echo::GoResponse* reply) override {
    return GoAnswer(*context, *request, reply);
  }
  grpc::Status FinishSignIn(grpc::ServerContext* context, const echo::GoRequest* request,
                            echo::GoResponse* reply) override {
    return GoAnswer(*context, *request, reply);
  }

  grpc::Status GetDocument(grpc::ServerContext* context, const echo::GetDocumentRequest* request,
                           echo::Document* reply) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      reply->set_xml(request->text());
      return grpc::Status::OK;
    });
  }

  grpc::Status Publish(grpc::ServerContext* context, const echo::PublishRequest* request,
                       echo::PublishResponse* reply) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      {
        std::lock_guard lock(mutex_);
        for (const auto& event : request->events()) {
          Apply(event);
          for (auto& outbox : item_outboxes_)
            outbox.events.push_back(event);
        }
        for (const auto& tick : request->ticks()) {
          for (auto& outbox : tick_outboxes_)
            outbox.events.push_back(tick);
        }
        reply->set_watchers(static_cast<int>(item_outboxes_.size()));
      }
      published_.notify_all();
      return grpc::Status::OK;
    });
  }

  grpc::Status GetStreamStats(grpc::ServerContext* context,
                              const echo::GetStreamStatsRequest* request,
                              echo::StreamStats* reply) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      std::lock_guard lock(mutex_);
      *reply = stats_;
      reply->set_open_watch_streams(static_cast<int>(item_outboxes_.size()));
      reply->set_open_tick_streams(static_cast<int>(tick_outboxes_.size()));
      reply->set_open_follow_streams(open_follow_streams_);
      return grpc::Status::OK;
    });
  }

  grpc::Status GetItem(grpc::ServerContext* context, const echo::GetItemRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status Search(grpc::ServerContext* context, const echo::SearchRequest* request,
                      echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetItemById(grpc::ServerContext* context, const echo::GetItemByIdRequest* request,
                           echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetMine(grpc::ServerContext* context, const echo::GetMineRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status UpdateItem(grpc::ServerContext* context, const echo::UpdateItemRequest* request,
                          echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status CreateItem(grpc::ServerContext* context, const echo::CreateItemRequest* request,
                          echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status Hook(grpc::ServerContext* context, const echo::HookRequest* request,
                    echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetFile(grpc::ServerContext* context, const echo::GetFileRequest* request,
                       echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetStats(grpc::ServerContext* context, const echo::GetStatsRequest* request,
                        echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetInternal(grpc::ServerContext* context, const echo::GetInternalRequest* request,
                           echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status PostForm(grpc::ServerContext* context, const echo::FormRequest* request,
                        echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetRawQuery(grpc::ServerContext* context, const echo::RawQueryRequest* request,
                           echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status GetCredential(grpc::ServerContext* context, const echo::GetMineRequest* request,
                             echo::Echo* reply) override {
    return Answer(*context, *request, reply);
  }
  grpc::Status Fail(grpc::ServerContext* context, const echo::FailRequest* request,
                    echo::Echo*) override {
    return ss::rpc::Handle(*context, guard_, *request, [&](const ss::rpc::Call&) {
      if (request->sleep_ms() > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(request->sleep_ms()));
      }
      if (request->retry_after_seconds() > 0) {
        context->AddTrailingMetadata("retry-after", std::to_string(request->retry_after_seconds()));
      }
      return grpc::Status(static_cast<grpc::StatusCode>(request->code()), request->message());
    });
  }

 private:
  // Under the lock.
  void Apply(const echo::ItemEvent& event) {
    if (event.type() == "added" || event.type() == "modified") {
      items_[event.item().id()] = event.item();
    } else if (event.type() == "deleted") {
      items_.erase(event.item().id());
    }
  }

  grpc::Status StreamItems(grpc::ServerContext& context, const google::protobuf::Message& request,
                           grpc::ServerWriter<echo::ItemEvent>& writer,
                           const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call&) {
          echo::ItemEvent snapshot;
          snapshot.set_type("snapshot");
          std::list<Outbox<echo::ItemEvent>>::iterator outbox;
          {
            std::lock_guard lock(mutex_);
            for (const auto& [id, item] : items_)
              *snapshot.add_items() = item;
            outbox = item_outboxes_.emplace(item_outboxes_.end());
            stats_.set_watch_streams_opened(stats_.watch_streams_opened() + 1);
          }
          writer.Write(snapshot);
          Drain(context, writer, &*outbox);
          std::lock_guard lock(mutex_);
          item_outboxes_.erase(outbox);
          return grpc::Status::OK;
        },
        where);
  }

  grpc::Status StreamTicks(grpc::ServerContext& context, const google::protobuf::Message& request,
                           grpc::ServerWriter<echo::Tick>& writer,
                           const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call&) {
          std::list<Outbox<echo::Tick>>::iterator outbox;
          {
            std::lock_guard lock(mutex_);
            outbox = tick_outboxes_.emplace(tick_outboxes_.end());
          }
          Drain(context, writer, &*outbox);
          std::lock_guard lock(mutex_);
          tick_outboxes_.erase(outbox);
          return grpc::Status::OK;
        },
        where);
  }

  grpc::Status Follow(grpc::ServerContext& context, const echo::FollowItemRequest& request,
                      grpc::ServerWriter<echo::FollowEvent>& writer,
                      const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call& call) {
          {
            std::lock_guard lock(mutex_);
            ++open_follow_streams_;
          }
          echo::FollowEvent event;
          event.set_type("line");
          event.set_user(call.principal().username);
          google::protobuf::util::MessageToJsonString(request, event.mutable_request_json());
          for (int i = 0; i < request.count() && !context.IsCancelled(); ++i) {
            event.set_index(i);
            writer.Write(event);
          }
          while (request.count() == 0 && !context.IsCancelled())
            std::this_thread::sleep_for(kPoll);
          {
            std::lock_guard lock(mutex_);
            --open_follow_streams_;
          }
          return grpc::Status(static_cast<grpc::StatusCode>(request.fail_code()),
                              request.fail_message());
        },
        where);
  }

  grpc::Status SignAnswer(grpc::ServerContext& context, const echo::SignInRequest& request,
                          echo::SignInResponse* reply,
                          const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call&) {
          if (request.fail_code() != 0)
            return grpc::Status(static_cast<grpc::StatusCode>(request.fail_code()), "failed");
          reply->set_token(request.token());
          reply->set_expires_at(request.expires_at());
          return grpc::Status::OK;
        },
        where);
  }

  grpc::Status GoAnswer(grpc::ServerContext& context, const echo::GoRequest& request,
                        echo::GoResponse* reply,
                        const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call&) {
          if (request.fail_code() != 0)
            return grpc::Status(static_cast<grpc::StatusCode>(request.fail_code()), "failed");
          reply->set_location(request.location());
          reply->set_token(request.token());
          reply->set_expires_at(request.expires_at());
          return grpc::Status::OK;
        },
        where);
  }

  // Writes what is published to the outbox until the call is cancelled or a write fails.
  template <typename Event>
  void Drain(grpc::ServerContext& context, grpc::ServerWriter<Event>& writer,
             Outbox<Event>* outbox) {
    std::unique_lock lock(mutex_);
    while (!context.IsCancelled()) {
      if (outbox->events.empty()) {
        published_.wait_for(lock, kPoll);
        continue;
      }
      std::deque<Event> batch;
      batch.swap(outbox->events);
      lock.unlock();
      for (const auto& event : batch) {
        if (!writer.Write(event))
          return;
      }
      lock.lock();
    }
  }

  // Echoes the request of the handler that calls it, under that handler's access level.
  grpc::Status Answer(grpc::ServerContext& context, const google::protobuf::Message& request,
                      echo::Echo* reply,
                      const std::source_location where = std::source_location::current()) {
    return ss::rpc::Handle(
        context, guard_, request,
        [&](const ss::rpc::Call& call) {
          reply->set_method(std::string(call.method()));
          reply->set_replica(replica_);
          google::protobuf::util::MessageToJsonString(request, reply->mutable_request_json());
          reply->set_request_id(Metadata(context, "x-request-id"));
          reply->set_client_address(Metadata(context, "x-client-address"));
          const auto authorization = Metadata(context, "authorization");
          reply->set_authorized(!authorization.empty());
          constexpr std::string_view kBearer = "Bearer ";
          if (authorization.rfind(kBearer, 0) == 0)
            reply->set_token(authorization.substr(kBearer.size()));
          reply->set_user(call.principal().username);
          reply->set_count(int64_t{1} << 40);
          return grpc::Status::OK;
        },
        where);
  }

  ss::rpc::AccessGuard guard_;
  const std::string replica_;
  std::mutex mutex_;
  std::condition_variable published_;
  std::map<std::string, echo::WatchedItem> items_;
  std::list<Outbox<echo::ItemEvent>> item_outboxes_;
  std::list<Outbox<echo::Tick>> tick_outboxes_;
  int open_follow_streams_ = 0;
  echo::StreamStats stats_;
};

}  // namespace

int main(int argc, char** argv) {
  ss::core::BlockShutdownSignals();
  auto variables = ss::authn::AuthnVariables();
  variables.push_back({"GRPC_ADDR", "127.0.0.1:9050", "gRPC listen address."});
  variables.push_back({"GRPC_MAX_CONNECTION_AGE", "0s", "As the services' variable."});
  variables.push_back({"ECHO_REPLICA", "", "A name for this server, sent in every Echo."});
  variables.push_back(
      {"ECHO_SEED", "", "The items WatchItems starts with: a PublishRequest as JSON."});
  for (auto& variable : ss::core::ProcessVariables(9150))
    variables.push_back(std::move(variable));
  const auto config = ss::core::Config::Load(
      "echo-server", "A test service that answers every call with what it received.",
      std::move(variables), argc, argv);
  ss::core::SetupLogging("echo-server", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  try {
    ss::authn::RemoteVerifier verifier(config, "echo");
    EchoService service(verifier.verifier(), config.Get("ECHO_REPLICA"));
    if (const auto& seed = config.Get("ECHO_SEED"); !seed.empty()) {
      echo::PublishRequest request;
      if (!google::protobuf::util::JsonStringToMessage(seed, &request).ok())
        throw std::runtime_error("ECHO_SEED is not a PublishRequest");
      service.Seed(request);
    }
    ss::rpc::ServerOptions options;
    options.address = config.Get("GRPC_ADDR");
    options.max_connection_age = config.GetDuration("GRPC_MAX_CONNECTION_AGE");
    ss::rpc::Server server(options, {&service});
    server.RunUntilSignal();
    return 0;
  } catch (const std::exception& error) {
    spdlog::critical("echo-server cannot start: {}", error.what());
    return 1;
  }
}
