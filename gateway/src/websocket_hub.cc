#include "websocket_hub.h"

#include <thread>

namespace ss::gateway {

WebSocketHub::WebSocketHub(BackendPool& pool, ServiceTokenSource token_source,
                           std::shared_ptr<const authn::TokenVerifier> verifier,
                           WebSocketOptions options, metrics::Registry& registry)
    : pool_(pool),
      token_source_(std::move(token_source)),
      options_(options),
      registry_(registry),
      clients_(std::move(verifier)) {}

WebSocketHub::~WebSocketHub() {
  Stop();
}

void WebSocketHub::AddRoute(const Endpoint& endpoint, Backend& backend) {
  routes_[&endpoint] =
      Route{&backend, std::make_unique<WebSocketMetrics>(registry_, endpoint.path_text), nullptr};
}

void WebSocketHub::Start(std::vector<boost::asio::io_context*> contexts) {
  for (auto& [endpoint, route] : routes_) {
    if (endpoint->stream.shared) {
      route.shared = std::make_shared<SharedStream>(*endpoint, pool_, *route.backend, token_source_,
                                                    contexts, upstream_, *route.metrics);
    }
  }
  clients_.Start(contexts);
  work_.emplace(upstream_.get_executor());
  thread_ = std::thread([this] { upstream_.run(); });
}

Upgrader WebSocketHub::Accept(const Endpoint& endpoint, WebSocketUpgrade upgrade) {
  auto& route = routes_.at(&endpoint);
  std::shared_ptr<WebSocketFeed> feed = route.shared;
  if (!feed) {
    feed = std::make_shared<ClientStream>(endpoint, pool_, *route.backend, std::move(upgrade.call),
                                          *route.metrics);
  }
  return
      [this, &route, feed = std::move(feed), upgrade = std::move(upgrade)](Socket socket) mutable {
        auto client =
            std::make_shared<WebSocketClient>(std::move(socket), options_, *route.metrics, clients_,
                                              std::move(upgrade.identity), std::move(feed));
        client->seed = upgrade.seed;
        client->Accept(std::move(upgrade.request), upgrade.answer_protocol);
      };
}

void WebSocketHub::Stop() {
  if (!thread_.joinable())
    return;
  clients_.CloseAll();
  for (auto& [endpoint, route] : routes_) {
    if (route.shared)
      route.shared->Stop();
  }
  // The per-client calls were cancelled with their clients: let them end while the io threads
  // they report to still run.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (auto& [endpoint, route] : routes_) {
    while (!route.shared && route.metrics->upstreams.Value() > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  work_.reset();
  upstream_.stop();
  thread_.join();
}

}  // namespace ss::gateway
