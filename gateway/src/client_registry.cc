#include "client_registry.h"

#include <boost/asio/post.hpp>
#include <future>

namespace ss::gateway {

namespace net = boost::asio;

namespace {

constexpr auto kSweepInterval = std::chrono::seconds(1);

}  // namespace

ClientRegistry::ClientRegistry(std::shared_ptr<const authn::TokenVerifier> verifier)
    : verifier_(std::move(verifier)) {}

void ClientRegistry::Start(const std::vector<net::io_context*>& contexts) {
  for (auto* context : contexts) {
    auto thread = std::make_unique<Thread>();
    thread->context = context;
    thread->sweep = std::make_unique<net::steady_timer>(*context);
    Sweep(*thread);
    threads_.push_back(std::move(thread));
  }
}

ClientRegistry::Thread& ClientRegistry::ThreadOf(WebSocketClient& client) {
  for (auto& thread : threads_) {
    if (thread->context == &client.executor().context())
      return *thread;
  }
  return *threads_.front();
}

void ClientRegistry::Add(WebSocketClient& client) {
  auto& clients = ThreadOf(client).clients;
  client.roster_slot = static_cast<std::uint32_t>(clients.size());
  clients.push_back(&client);
}

void ClientRegistry::Remove(WebSocketClient& client) {
  if (client.roster_slot == WebSocketClient::kNoSlot)
    return;
  auto& clients = ThreadOf(client).clients;
  auto* moved = clients.back();
  clients[client.roster_slot] = moved;
  moved->roster_slot = client.roster_slot;
  clients.pop_back();
  client.roster_slot = WebSocketClient::kNoSlot;
}

void ClientRegistry::Sweep(Thread& thread) {
  thread.sweep->expires_after(kSweepInterval);
  thread.sweep->async_wait([this, &thread](const boost::system::error_code& error) {
    if (error || thread.stopping)
      return;
    // Close changes no list: the clients leave it when their connection ends.
    for (auto* client : thread.clients) {
      const auto& token = client->identity().token;
      if (token.empty())
        continue;
      const auto result = verifier_->Verify(token);
      if (!result.ok()) {
        client->Close(boost::beast::websocket::close_code::policy_error,
                      authn::Describe(result.error));
      }
    }
    Sweep(thread);
  });
}

void ClientRegistry::CloseAll() {
  std::vector<std::future<void>> done;
  for (auto& thread : threads_) {
    auto closed = std::make_shared<std::promise<void>>();
    done.push_back(closed->get_future());
    net::post(*thread->context, [thread = thread.get(), closed] {
      thread->stopping = true;
      thread->sweep->cancel();
      // GoAway may take a client out of a shared stream's list, never out of this one.
      for (auto* client : thread->clients)
        client->GoAway();
      closed->set_value();
    });
  }
  // The io threads run until the HTTP server stops, after this: each answers its post.
  for (auto& future : done)
    future.wait();
}

}  // namespace ss::gateway
