#include "api_handler.h"

#include <spdlog/spdlog.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "error_response.h"
#include "openapi.h"
#include "reply_answer.h"
#include "rpc/call.h"
#include "transcoder.h"
#include "version_info.h"

namespace ss::gateway {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kOwnPaths[] = {"/health",        "/version",        "/openapi.json",
                                          "/api/v1/health", "/api/v1/version", "/livez",
                                          "/readyz"};

HttpResponse ErrorResponseOf(const ErrorResponse& error) {
  auto response = JsonResponse(error.http_status, error.body);
  if (error.www_authenticate)
    response.set(http::field::www_authenticate, "Bearer");
  if (!error.retry_after.empty())
    response.set(http::field::retry_after, error.retry_after);
  return response;
}

constexpr std::string_view kRequestIdHeader = "X-Request-Id";

std::string_view Header(const HttpRequest& request, http::field field) {
  return ToStd(request[field]);
}

std::string_view Header(const HttpRequest& request, std::string_view name) {
  return ToStd(request[ToBeast(name)]);
}

// The client's X-Request-Id when it is valid, else a new one.
std::string RequestIdOf(const HttpRequest& request) {
  const auto incoming = Header(request, kRequestIdHeader);
  return ValidRequestId(incoming) ? std::string(incoming) : ss::core::NewRequestId();
}

}  // namespace

ProtocolOffer ReadProtocolOffer(const HttpRequest& request) {
  constexpr std::string_view kBearer = "bearer.";
  ProtocolOffer offer;
  ForEachHeaderItem(request, http::field::sec_websocket_protocol, ',', [&](std::string_view item) {
    if (item == "streamspace.v1") {
      offer.streamspace = true;
    } else if (item.size() > kBearer.size() && item.substr(0, kBearer.size()) == kBearer) {
      offer.token = item.substr(kBearer.size());
    }
    return false;
  });
  return offer;
}

bool TakeQueryToken(std::string_view query, std::string* rest, std::string* token) {
  constexpr std::string_view kToken = "token=";
  rest->clear();
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.substr(0, kToken.size()) == kToken) {
      if (!PercentDecode(pair.substr(kToken.size()), false, token))
        return false;
      continue;
    }
    if (pair.empty())
      continue;
    if (!rest->empty())
      *rest += '&';
    *rest += pair;
  }
  return true;
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

struct ApiHandler::Route {
  const Endpoint* endpoint;
  Backend* backend;
  std::unique_ptr<RouteMetrics> metrics;
};

struct ApiHandler::Exchange {
  HttpRequest request;
  // Views into `request` (ReadRequest).
  std::string_view method;
  std::string_view path;
  std::string_view query;
  std::string request_id;
  std::string client_address;
  std::string_view allow_origin;
  // "Bearer <token>" for the backend, built once: the Authorization header's token, or the
  // sign-in cookie's for an endpoint with cookie_credential; empty without one.
  std::string authorization;
  Clock::time_point start;
  RouteMetrics* metrics = nullptr;
  Responder respond;
};

ApiHandler::ApiHandler(std::vector<Endpoint> endpoints, BackendPool& backends, WebSocketHub& hub,
                       EdgeAuth edge_auth, CorsPolicy cors, metrics::Registry& registry,
                       ApiHandlerOptions options)
    : endpoints_(std::move(endpoints)),
      backends_(backends),
      hub_(hub),
      edge_auth_(std::move(edge_auth)),
      cors_(std::move(cors)),
      options_(options) {
  for (const auto& endpoint : endpoints_) {
    auto* backend = backends_.Find(endpoint.backend);
    if (backend == nullptr)
      continue;
    for (auto own : kOwnPaths) {
      if (endpoint.path.openapi_path == own) {
        throw EndpointError(endpoint.method->full_name() + " takes the gateway's own " +
                            std::string(own));
      }
    }
    try {
      table_.Add(endpoint.path, endpoint.http_method, routes_.size());
    } catch (const TemplateError& error) {
      throw EndpointError(endpoint.method->full_name() + ": " + error.what());
    }
    if (endpoint.websocket)
      hub_.AddRoute(endpoint, *backend);
    routes_.push_back(
        {&endpoint, backend,
         std::make_unique<RouteMetrics>(registry, endpoint.path_text, endpoint.http_method)});
    served_.push_back(&endpoint);
  }
  openapi_ = BuildOpenApi(served_, ProjectVersion());
  version_body_ = nlohmann::json{{"version", ProjectVersion()}, {"commit", GitCommit()}}.dump();
  health_metrics_ = std::make_unique<RouteMetrics>(registry, "/health", "GET");
  version_metrics_ = std::make_unique<RouteMetrics>(registry, "/version", "GET");
  livez_metrics_ = std::make_unique<RouteMetrics>(registry, "/livez", "GET");
  readyz_metrics_ = std::make_unique<RouteMetrics>(registry, "/readyz", "GET");
  openapi_metrics_ = std::make_unique<RouteMetrics>(registry, "/openapi.json", "GET");
  preflight_metrics_ = std::make_unique<RouteMetrics>(registry, "preflight", "OPTIONS");
  unmatched_metrics_ = std::make_unique<RouteMetrics>(registry, "unmatched", "ANY");
  ui_metrics_ = std::make_unique<RouteMetrics>(registry, "ui", "GET");
}

ApiHandler::~ApiHandler() = default;

Upgrader ApiHandler::Handle(HttpRequest request, std::string_view client_address,
                            Responder respond) {
  // On the stack until a backend call needs it to outlive this function: /health and the other
  // local answers cost no allocation of their own.
  Exchange local;
  local.start = Clock::now();
  local.request = std::move(request);
  local.respond = std::move(respond);
  ReadRequest(local);
  local.request_id = RequestIdOf(local.request);

  const Route* route = nullptr;
  if (AnswerLocally(local, &route))
    return {};
  local.metrics = route->metrics.get();
  local.client_address = client_address;
  if (route->endpoint->websocket)
    return UpgradeWebSocket(local, *route);
  const auto& endpoint = *route->endpoint;
  const auto authorization = Header(local.request, http::field::authorization);
  auto token = BearerToken(authorization);
  if (endpoint.cookie_credential && authorization.empty()) {
    token = CookieValue(local.request, options_.cookie.name);
    auto refused = token.empty() ? std::nullopt : RefuseOrigin(local.request, true);
    if (refused) {
      local.respond(Finish(local, ErrorResponseOf(*refused)));
      return {};
    }
  }
  authn::Claims claims;
  const auto status = edge_auth_.CheckToken(endpoint.access, token, &claims);
  if (!status.ok()) {
    local.respond(Finish(local, ErrorResponseOf(ErrorFor(status))));
    return {};
  }
  if (!token.empty())
    local.authorization.append("Bearer ").append(token);
  auto exchange = std::make_shared<Exchange>(std::move(local));
  ReadRequest(*exchange);
  CallBackend(std::move(exchange), *route);
  return {};
}

Upgrader ApiHandler::UpgradeWebSocket(Exchange& exchange, const Route& route) {
  const auto& endpoint = *route.endpoint;
  const auto& request = exchange.request;
  auto refuse = [&](const ErrorResponse& error) {
    exchange.respond(Finish(exchange, ErrorResponseOf(error)));
    return Upgrader();
  };
  if (!boost::beast::websocket::is_upgrade(request)) {
    return refuse(
        GatewayError(400, grpc::StatusCode::FAILED_PRECONDITION, "WebSocket upgrade required"));
  }
  // The credential: the first of the Authorization header, the subprotocol offer, ?token= and
  // the sign-in cookie. Neither the token nor the query is ever logged.
  const auto offer = ReadProtocolOffer(request);
  std::string query;
  std::string query_token;
  if (!TakeQueryToken(exchange.query, &query, &query_token)) {
    return refuse(
        GatewayError(400, grpc::StatusCode::INVALID_ARGUMENT, "malformed query parameter 'token'"));
  }
  exchange.query = query;
  std::string_view token = BearerToken(Header(request, http::field::authorization));
  bool by_cookie = false;
  if (token.empty())
    token = offer.token;
  if (token.empty())
    token = query_token;
  if (token.empty()) {
    token = CookieValue(request, options_.cookie.name);
    by_cookie = !token.empty();
  }
  if (auto refused = RefuseOrigin(request, by_cookie))
    return refuse(*refused);
  authn::Claims claims;
  auto status = edge_auth_.CheckToken(endpoint.access, token, &claims);
  if (status.ok())
    status = edge_auth_.CheckScope(*endpoint.method, claims, exchange.client_address);
  if (!status.ok())
    return refuse(ErrorFor(status));
  rpc::Principal principal;
  principal.role = claims.role;
  WebSocketUpgrade upgrade;
  upgrade.identity.username = boost::algorithm::to_lower_copy(claims.username);
  upgrade.identity.privileged = principal.privileged();
  upgrade.identity.token = token;
  upgrade.answer_protocol = offer.streamspace;
  upgrade.seed = !offer.streamspace && endpoint.stream.has_seed();
  if (!endpoint.stream.shared) {
    const auto built = BuildMessage(exchange, endpoint, &upgrade.call.request);
    if (!built.ok())
      return refuse(ErrorFor(built));
    if (!token.empty())
      upgrade.call.authorization = "Bearer " + std::string(token);
    upgrade.call.request_id = exchange.request_id;
    upgrade.call.client_address = exchange.client_address;
  }
  HttpResponse switching;
  switching.result(http::status::switching_protocols);
  Finish(exchange, std::move(switching));
  upgrade.request = std::move(exchange.request);
  return hub_.Accept(endpoint, std::move(upgrade));
}

std::optional<ErrorResponse> ApiHandler::RefuseOrigin(const HttpRequest& request,
                                                      bool by_cookie) const {
  // Cross-site WebSocket hijacking and CSRF: a browser sends the page's Origin, and would send
  // the cookie from any page of the same site.
  const auto origin = Header(request, http::field::origin);
  if (origin.empty()) {
    if (!by_cookie)
      return std::nullopt;
    return GatewayError(403, grpc::StatusCode::PERMISSION_DENIED,
                        "the sign-in cookie needs an Origin");
  }
  if (!cors_.AllowsUpgrade(origin, Header(request, http::field::host), by_cookie))
    return GatewayError(403, grpc::StatusCode::PERMISSION_DENIED, "origin not allowed");
  return std::nullopt;
}

void ApiHandler::ReadRequest(Exchange& exchange) const {
  const auto& request = exchange.request;
  exchange.method = ToStd(request.method_string());
  const auto target = ToStd(request.target());
  const auto question = target.find('?');
  exchange.path = target.substr(0, question);
  exchange.query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  exchange.allow_origin = cors_.AllowOrigin(Header(request, http::field::origin));
}

bool ApiHandler::AnswerLocally(Exchange& exchange, const Route** route) {
  const auto& request = exchange.request;
  const auto method = exchange.method;
  auto answer = [&](RouteMetrics* metrics, HttpResponse response) {
    exchange.metrics = metrics;
    exchange.respond(Finish(exchange, std::move(response)));
    return true;
  };
  auto own = [&](RouteMetrics* metrics, int status, const std::string& body) {
    if (method != "GET") {
      auto response =
          ErrorResponseOf(GatewayError(405, grpc::StatusCode::UNIMPLEMENTED, "method not allowed"));
      response.set(http::field::allow, "GET");
      return answer(metrics, std::move(response));
    }
    return answer(metrics, JsonResponse(status, body));
  };
  if (exchange.path == "/health" || exchange.path == "/api/v1/health") {
    const auto health = backends_.health();
    return own(health_metrics_.get(), health->all_serving ? 200 : 503, health->body);
  }
  // Probes: alive while the process serves; ready until SIGTERM. Neither depends on the
  // backends: one backend down leaves the gateway in rotation, its routes answering 503.
  if (exchange.path == "/livez")
    return own(livez_metrics_.get(), 200, R"({"status":"alive"})");
  if (exchange.path == "/readyz") {
    return ready_ ? own(readyz_metrics_.get(), 200, R"({"status":"ready"})")
                  : own(readyz_metrics_.get(), 503, R"({"status":"draining"})");
  }
  if (exchange.path == "/version" || exchange.path == "/api/v1/version")
    return own(version_metrics_.get(), 200, version_body_);
  if (exchange.path == "/openapi.json")
    return own(openapi_metrics_.get(), 200, openapi_);

  PathSegments segments;
  SplitPath(exchange.path, &segments);
  const auto requested_method = Header(request, http::field::access_control_request_method);
  if (method == "OPTIONS" && !exchange.allow_origin.empty() && !requested_method.empty()) {
    const auto allowed = table_.AllowedMethods(segments);
    if (!allowed.empty()) {
      HttpResponse response;
      response.result(http::status::no_content);
      response.set(http::field::access_control_allow_methods, allowed);
      const auto asked = Header(request, http::field::access_control_request_headers);
      response.set(
          http::field::access_control_allow_headers,
          ToBeast(CorsPolicy::ValidHeaderList(asked) ? asked : CorsPolicy::kDefaultAllowHeaders));
      response.set(http::field::access_control_max_age, ToBeast(CorsPolicy::kMaxAgeSeconds));
      return answer(preflight_metrics_.get(), std::move(response));
    }
  }
  const auto match = table_.Find(method, segments);
  switch (match.result) {
    case RouteMatch::Result::kFound:
      *route = &routes_[match.route];
      return false;
    case RouteMatch::Result::kWrongMethod: {
      auto response =
          ErrorResponseOf(GatewayError(405, grpc::StatusCode::UNIMPLEMENTED, "method not allowed"));
      response.set(http::field::allow, table_.AllowedMethods(segments));
      return answer(unmatched_metrics_.get(), std::move(response));
    }
    case RouteMatch::Result::kNotFound:
      break;
  }
  if (AnswerUi(exchange))
    return true;
  return answer(unmatched_metrics_.get(),
                ErrorResponseOf(GatewayError(404, grpc::StatusCode::NOT_FOUND, "route not found")));
}

grpc::Status ApiHandler::BuildMessage(const Exchange& exchange, const Endpoint& endpoint,
                                      std::string* message) const {
  const auto& request = exchange.request;
  HttpInput input;
  input.query = exchange.query;
  input.body = request.body();
  PathSegments segments;
  SplitPath(exchange.path, &segments);
  if (!ExtractVariables(endpoint.path, segments, &input.path_values)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid path parameter");
  }
  for (const auto& header : endpoint.header_fields) {
    const auto found = request.find(ToBeast(header.header));
    input.header_values.push_back(found == request.end()
                                      ? std::nullopt
                                      : std::optional<std::string_view>(ToStd(found->value())));
  }
  return BuildRequest(endpoint, input, message);
}

void ApiHandler::CallBackend(std::shared_ptr<Exchange> exchange, const Route& route) {
  const auto& endpoint = *route.endpoint;
  const auto& request = exchange->request;
  // An identity provider's form post says what it is; JSON there is a client's mistake.
  if (endpoint.form_body && !request.body().empty() &&
      !IsMediaType(Header(request, http::field::content_type),
                   "application/x-www-form-urlencoded")) {
    exchange->respond(
        Finish(*exchange, ErrorResponseOf(GatewayError(
                              415, grpc::StatusCode::INVALID_ARGUMENT,
                              "this route takes an application/x-www-form-urlencoded body"))));
    return;
  }
  std::string message;
  const auto status = BuildMessage(*exchange, endpoint, &message);
  if (!status.ok()) {
    exchange->respond(Finish(*exchange, ErrorResponseOf(ErrorFor(status))));
    return;
  }
  CallMetadata metadata;
  metadata.authorization = exchange->authorization;
  metadata.request_id = exchange->request_id;
  metadata.client_address = exchange->client_address;
  metadata.timeout = options_.request_timeout;
  backends_.Call(*route.backend, endpoint.rpc_name, std::move(message), metadata,
                 [this, exchange, &endpoint](BackendReply reply) {
                   HttpResponse response;
                   if (reply.status.ok()) {
                     reply.status = AnswerReply(endpoint, reply.message, exchange->request,
                                                options_.cookie, &response);
                   }
                   if (!reply.status.ok())
                     response = ErrorResponseOf(BackendErrorFor(reply.status, reply.retry_after));
                   exchange->respond(Finish(*exchange, std::move(response)));
                 });
}

bool ApiHandler::AnswerUi(Exchange& exchange) {
  if (!options_.ui || (exchange.method != "GET" && exchange.method != "HEAD") ||
      UiFiles::IsApiPath(exchange.path)) {
    return false;
  }
  exchange.metrics = ui_metrics_.get();
  const auto* file = options_.ui->Find(exchange.path);
  HttpResponse response;
  if (file == nullptr) {
    response = ErrorResponseOf(GatewayError(404, grpc::StatusCode::NOT_FOUND, "file not found"));
  } else {
    response.result(http::status::ok);
    response.set(http::field::content_type, file->content_type);
    response.set(http::field::cache_control, file->cache_control);
    response.set("X-Content-Type-Options", "nosniff");
    // HEAD: the server sends the headers of this answer without its body.
    response.body() = file->body;
  }
  exchange.respond(Finish(exchange, std::move(response)));
  return true;
}

HttpResponse ApiHandler::Refuse(const HttpRequest& partial, int http_status,
                                std::string_view client_address) {
  Exchange exchange;
  exchange.start = Clock::now();
  exchange.method = ToStd(partial.method_string());
  const auto target = ToStd(partial.target());
  exchange.path = target.substr(0, target.find('?'));
  exchange.client_address = client_address;
  exchange.request_id = RequestIdOf(partial);
  exchange.allow_origin = cors_.AllowOrigin(Header(partial, http::field::origin));
  exchange.metrics = unmatched_metrics_.get();
  const auto error =
      http_status == 413
          ? GatewayError(413, grpc::StatusCode::RESOURCE_EXHAUSTED, "request body too large")
          : GatewayError(400, grpc::StatusCode::INVALID_ARGUMENT, "malformed HTTP request");
  return Finish(exchange, ErrorResponseOf(error));
}

HttpResponse ApiHandler::Finish(Exchange& exchange, HttpResponse response) {
  response.set(ToBeast(kRequestIdHeader), exchange.request_id);
  if (!exchange.allow_origin.empty()) {
    response.set(http::field::access_control_allow_origin, ToBeast(exchange.allow_origin));
    response.set(http::field::access_control_expose_headers, ToBeast(CorsPolicy::kExposeHeaders));
    if (cors_.varies_by_origin()) {
      response.set(http::field::vary, "Origin");
      // A listed origin may send credentials (the web UI sends its requests withCredentials);
      // they grant nothing on a REST call, which the sign-in cookie never authenticates but on
      // a cookie_credential endpoint, for an Origin that RefuseOrigin admits.
      response.set(http::field::access_control_allow_credentials, "true");
    }
  }
  const int status = static_cast<int>(response.result_int());
  const double seconds = std::chrono::duration<double>(Clock::now() - exchange.start).count();
  if (exchange.metrics != nullptr)
    exchange.metrics->Record(status, seconds);
  if (!spdlog::should_log(spdlog::level::info))
    return response;
  const core::RequestIdScope scope(exchange.request_id);
  spdlog::info("{} {} {} {:.3f}ms", exchange.method, exchange.path, status, seconds * 1000);
  return response;
}

}  // namespace ss::gateway
