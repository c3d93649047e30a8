#include "gateway_config.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <set>

#include "authn/remote.h"
#include "rpc/call.h"
#include "session_cookie.h"

namespace ss::gateway {
namespace {

struct ProductBackend {
  const char* name;
  const char* address;
};

// AUTH_ADDR comes with the authn variables.
constexpr ProductBackend kProductBackends[] = {{"session", "127.0.0.1:9002"},
                                               {"tracker", "127.0.0.1:9003"},
                                               {"catalog", "127.0.0.1:9004"},
                                               {"nodes", "127.0.0.1:9005"}};

}  // namespace

std::vector<core::Variable> GatewayVariables() {
  std::vector<core::Variable> variables = {
      {"API_PORT", "8000", "Port of the public REST API."},
      {"API_ADDRESS", "0.0.0.0", "Address the public REST API listens on."},
      {"GATEWAY_THREADS", "2", "io_context threads serving HTTP."},
      {"GATEWAY_REQUEST_TIMEOUT", "30s", "Deadline of each backend call."},
      {"GATEWAY_BACKEND_CONCURRENCY", "32",
       "Most calls open at once per backend; more wait in a queue (keep it below the backends' "
       "GRPC_THREADS)."},
      {"GATEWAY_SHUTDOWN_DELAY", "0s",
       "On SIGTERM, how long the gateway goes on serving with /readyz answering 503 before it "
       "stops accepting, so that load balancers take it out of rotation first."},
      {"GATEWAY_DRAIN_TIMEOUT", "10s",
       "On SIGTERM, how long requests in flight may take to be answered."},
      {"GATEWAY_DESCRIPTOR_SETS", "",
       "Colon-separated FileDescriptorSet files (protoc --include_imports "
       "--descriptor_set_out) whose annotated services are served too; a backend named by them "
       "is dialed at <BACKEND>_ADDR and skipped when that is unset."},
      {"GATEWAY_WS_PING_INTERVAL", "20s",
       "WebSocket keepalive: a ping after this long without a frame from the client; a client "
       "silent for twice as long is closed."},
      {"GATEWAY_WS_MAX_QUEUE_BYTES", "1048576",
       "Bytes queued for one WebSocket client beyond which it is closed with 1013 (too slow)."},
      {"CORS_ALLOWED_ORIGINS", "",
       "Comma-separated origins allowed to call the API from a browser, or *; empty sends no "
       "CORS headers. WebSocket upgrades with an Origin are accepted from the gateway's own "
       "origin and these (from any with *, except when the sign-in cookie is the credential)."},
      {"UI_DIR", "",
       "Folder of a built web UI to serve at / (read into memory at start), index.html for "
       "unknown paths outside the API; empty serves none."},
  };
  for (auto& variable : CookieVariables())
    variables.push_back(std::move(variable));
  for (const auto& backend : kProductBackends) {
    variables.push_back({AddressVariable(backend.name), backend.address,
                         std::string("gRPC address of the ") + backend.name + " service."});
  }
  for (auto& variable : authn::AuthnVariables())
    variables.push_back(std::move(variable));
  for (auto& variable : core::ProcessVariables(9100))
    variables.push_back(std::move(variable));
  return variables;
}

std::string AddressVariable(const std::string& backend) {
  std::string name;
  for (char c : backend) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
  }
  return name + "_ADDR";
}

std::map<std::string, BackendTarget> BackendTargets(const core::Config& config,
                                                    const std::vector<Endpoint>& endpoints) {
  std::map<std::string, std::set<std::string>> reads;
  for (const auto& endpoint : endpoints) {
    auto& methods = reads[endpoint.backend];
    if (!endpoint.websocket &&
        rpc::PolicyOf(*endpoint.method).effect == streamspace::api::v1::READ) {
      methods.insert(endpoint.rpc_name);
    }
  }
  std::map<std::string, BackendTarget> targets;
  for (const auto& [name, methods] : reads) {
    const auto variable = AddressVariable(name);
    bool declared = name == "auth";
    for (const auto& backend : kProductBackends)
      declared = declared || name == backend.name;
    if (declared) {
      targets[name] = {config.Get(variable), {methods.begin(), methods.end()}};
    } else if (const char* value = std::getenv(variable.c_str()); value != nullptr && *value) {
      targets[name] = {value, {methods.begin(), methods.end()}};
    } else {
      spdlog::warn("backend {} has no address ({} is unset): its routes are not served", name,
                   variable);
    }
  }
  return targets;
}

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(separator, start);
    auto part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty())
      parts.push_back(std::move(part));
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return parts;
}

}  // namespace ss::gateway
