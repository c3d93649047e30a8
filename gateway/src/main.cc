// The gateway binary: wiring only.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <thread>

#include "api_handler.h"
#include "authn/remote.h"
#include "backend_pool.h"
#include "core/config.h"
#include "core/log.h"
#include "core/shutdown.h"
#include "descriptor_source.h"
#include "gateway_config.h"
#include "http_server.h"
#include "metrics/exposer.h"
#include "metrics/registry.h"

namespace {

constexpr auto kHealthInterval = std::chrono::seconds(2);

int Run(const ss::core::Config& config) {
  using namespace ss::gateway;
  DescriptorSource source(SplitList(config.Get("GATEWAY_DESCRIPTOR_SETS"), ':'));
  auto endpoints = BuildEndpoints(source);
  BackendLimits limits;
  limits.max_in_flight = std::max(1, config.GetInt("GATEWAY_BACKEND_CONCURRENCY"));
  BackendPool backends(BackendTargets(config, endpoints), limits);
  ss::authn::RemoteVerifier verifier(config, "gateway");
  WebSocketOptions websocket;
  websocket.ping_interval = config.GetDuration("GATEWAY_WS_PING_INTERVAL");
  websocket.max_queue_bytes =
      static_cast<std::size_t>(std::max(1, config.GetInt("GATEWAY_WS_MAX_QUEUE_BYTES")));
  // Shared streams are opened with the gateway's own `service` identity.
  WebSocketHub hub(
      backends,
      [credentials = verifier.credentials()](std::string* token) {
        return credentials->Token(token);
      },
      verifier.verifier(), websocket, ss::metrics::Registry::Default());
  ApiHandlerOptions options;
  options.request_timeout = config.GetDuration("GATEWAY_REQUEST_TIMEOUT");
  options.cookie = CookieSettingsFrom(config);
  if (const auto& ui_dir = config.Get("UI_DIR"); !ui_dir.empty()) {
    options.ui = std::make_shared<const UiFiles>(ui_dir);
    spdlog::info("serving the web UI of {}: {} files, {} bytes", ui_dir, options.ui->file_count(),
                 options.ui->total_bytes());
  }
  ApiHandler handler(std::move(endpoints), backends, hub,
                     EdgeAuth(verifier.verifier(), ss::rpc::AuditorFor(verifier)),
                     CorsPolicy(config.Get("CORS_ALLOWED_ORIGINS")),
                     ss::metrics::Registry::Default(), options);
  ss::metrics::Exposer exposer(ss::metrics::Registry::Default(), "0.0.0.0",
                               config.GetInt("METRICS_PORT"));
  HttpServerOptions server_options;
  server_options.address = config.Get("API_ADDRESS");
  server_options.port = config.GetInt("API_PORT");
  server_options.threads = std::max(1, config.GetInt("GATEWAY_THREADS"));
  HttpServer server(server_options, handler);
  backends.StartHealthChecks(server.context().get_executor(), kHealthInterval);
  hub.Start(server.contexts());
  server.Start();
  spdlog::info("gateway serving {} routes on {}:{}, metrics on :{}", handler.endpoints().size(),
               server_options.address, server.port(), exposer.port());

  // Read before the signal: a bad value stops the start, not the drain.
  const auto shutdown_delay = config.GetDuration("GATEWAY_SHUTDOWN_DELAY");
  const auto drain_timeout = config.GetDuration("GATEWAY_DRAIN_TIMEOUT");
  const int signal = ss::core::WaitForShutdownSignal();
  spdlog::info("signal {}: draining", signal);
  handler.StopReadiness();
  std::this_thread::sleep_for(shutdown_delay);
  hub.Stop();
  server.Shutdown(drain_timeout);
  backends.Stop();
  if (server.in_flight() > 0) {
    // Calls still out would complete into freed state: leave without unwinding.
    spdlog::warn("{} requests unanswered after the drain timeout", server.in_flight().load());
    spdlog::default_logger()->flush();
    std::_Exit(0);
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ss::core::BlockShutdownSignals();
  const auto config = ss::core::Config::Load(
      "gateway",
      "The StreamSpace edge: REST and JSON in, gRPC to the services out. Routes come from the "
      "google.api.http annotations of the linked protos and of GATEWAY_DESCRIPTOR_SETS.",
      ss::gateway::GatewayVariables(), argc, argv);
  ss::core::SetupLogging("gateway", config.Get("LOG_LEVEL"), config.Get("LOG_FORMAT"));
  try {
    return Run(config);
  } catch (const std::exception& error) {
    spdlog::critical("cannot start: {}", error.what());
    return 1;
  }
}
