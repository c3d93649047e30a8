// What the gateway answers: its own routes (/health, /version, also under /api/v1, and
// /openapi.json), CORS preflights, every endpoint of the route table, transcoded to a gRPC call of
// its backend, or upgraded to a WebSocket for a streaming endpoint, and the files of the web UI
// (UI_DIR) at any other path. Also the sign-in cookie, the X-Request-Id, the access log line and
// the request metrics of every answer.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend_pool.h"
#include "cors.h"
#include "edge_auth.h"
#include "endpoint.h"
#include "error_response.h"
#include "http_server.h"
#include "metrics/registry.h"
#include "route_metrics.h"
#include "route_table.h"
#include "session_cookie.h"
#include "ui_files.h"
#include "websocket_hub.h"

namespace ss::gateway {

struct ApiHandlerOptions {
  std::chrono::milliseconds request_timeout{30000};
  CookieSettings cookie;
  // The web UI to serve at /; null for none.
  std::shared_ptr<const UiFiles> ui;
};

class ApiHandler final : public RequestHandler {
 public:
  // Serves the endpoints whose backend the pool knows. Throws EndpointError when two endpoints
  // take the same method and path, or one takes a path of the gateway's own.
  // WebSocket endpoints are registered with `hub`.
  ApiHandler(std::vector<Endpoint> endpoints, BackendPool& backends, WebSocketHub& hub,
             EdgeAuth edge_auth, CorsPolicy cors, metrics::Registry& registry,
             ApiHandlerOptions options);
  ~ApiHandler() override;

  Upgrader Handle(HttpRequest request, std::string_view client_address, Responder respond) override;
  HttpResponse Refuse(const HttpRequest& partial, int http_status,
                      std::string_view client_address) override;

  const std::vector<const Endpoint*>& endpoints() const { return served_; }

  // From now on /readyz answers 503 (SIGTERM: load balancers stop sending before the drain);
  // /livez goes on answering 200 while the process serves.
  void StopReadiness() { ready_ = false; }

 private:
  struct Route;
  struct Exchange;

  // Points the exchange's views (method, path, query, allowed origin) at its request.
  void ReadRequest(Exchange& exchange) const;
  // Everything but an endpoint's call: own routes, preflight, 404, 405. False if the request is
  // for an endpoint (`route` is set).
  bool AnswerLocally(Exchange& exchange, const Route** route);
  // The request message from the path, query, body and header fields.
  grpc::Status BuildMessage(const Exchange& exchange, const Endpoint& endpoint,
                            std::string* message) const;
  void CallBackend(std::shared_ptr<Exchange> exchange, const Route& route);
  // The refusal (403) of a request from the Origin it names, when the sign-in cookie
  // (by_cookie) or, for an upgrade, any credential comes with it: the cookie needs an Origin, and
  // any Origin must be one cors_.AllowsUpgrade admits. Nullopt when the request may go on.
  std::optional<ErrorResponse> RefuseOrigin(const HttpRequest& request, bool by_cookie) const;
  // A WebSocket endpoint: the upgrade, or the refusal before it.
  Upgrader UpgradeWebSocket(Exchange& exchange, const Route& route);
  // A GET or HEAD of the UI's files; false when it is not one.
  bool AnswerUi(Exchange& exchange);
  HttpResponse Finish(Exchange& exchange, HttpResponse response);

  std::vector<Endpoint> endpoints_;
  std::vector<const Endpoint*> served_;
  std::vector<Route> routes_;
  RouteTable table_;
  BackendPool& backends_;
  WebSocketHub& hub_;
  EdgeAuth edge_auth_;
  CorsPolicy cors_;
  ApiHandlerOptions options_;
  std::string openapi_;
  std::string version_body_;
  std::unique_ptr<RouteMetrics> health_metrics_;
  std::unique_ptr<RouteMetrics> version_metrics_;
  std::unique_ptr<RouteMetrics> livez_metrics_;
  std::unique_ptr<RouteMetrics> readyz_metrics_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<RouteMetrics> openapi_metrics_;
  std::unique_ptr<RouteMetrics> preflight_metrics_;
  std::unique_ptr<RouteMetrics> unmatched_metrics_;
  std::unique_ptr<RouteMetrics> ui_metrics_;
};

// The Sec-WebSocket-Protocol offer of a browser: whether it offers streamspace.v1, and the
// token it carries as "bearer.<token>" (empty for none).
struct ProtocolOffer {
  bool streamspace = false;
  std::string_view token;
};
ProtocolOffer ReadProtocolOffer(const HttpRequest& request);

// The query string without its `token` parameters, whose (decoded) value goes to *token: an
// upgrade's credential, never a request field. False for a malformed token parameter.
bool TakeQueryToken(std::string_view query, std::string* rest, std::string* token);

// A valid incoming X-Request-Id: 1 to 64 characters of [A-Za-z0-9._-].
bool ValidRequestId(std::string_view id);

}  // namespace ss::gateway
