#include "websocket_hub.h"

namespace ss::gateway {

WebSocketHub::WebSocketHub(BackendPool& pool, ServiceTokenSource token_source,
                           WebSocketOptions options, metrics::Registry& registry)
    : pool_(pool), token_source_(std::move(token_source)), options_(options), registry_(registry) {}

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
  return [this, &route, feed = std::move(feed),
          upgrade = std::move(upgrade)](Socket socket) mutable {
    auto client = std::make_shared<WebSocketClient>(std::move(socket), options_, *route.metrics,
                                                    std::move(upgrade.identity), std::move(feed));
    client->Accept(std::move(upgrade.request), upgrade.answer_protocol);
  };
}

void WebSocketHub::Stop() {
  if (!thread_.joinable())
    return;
  for (auto& [endpoint, route] : routes_) {
    if (route.shared)
      route.shared->Stop();
  }
  work_.reset();
  upstream_.stop();
  thread_.join();
}

}  // namespace ss::gateway
