// The gateway's configuration: its variables (for --help and Config::Load) and the backend
// addresses its endpoints need.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "backend_pool.h"
#include "core/config.h"
#include "endpoint.h"

namespace ss::gateway {

// API_*, GATEWAY_*, CORS_ALLOWED_ORIGINS, UI_DIR, SESSION_COOKIE_*, the product backends' *_ADDR,
// the authn variables and the process variables.
std::vector<core::Variable> GatewayVariables();

// "echo" → "ECHO_ADDR".
std::string AddressVariable(const std::string& backend);

// The target of every backend the endpoints name: its address from the configuration for the
// product's backends (they have defaults), from the environment for the others (a backend with
// no address is left out, with a warning, and its routes are not served); and its unary methods
// that only read (rpc::PolicyOf effect READ), which may be retried on another replica.
std::map<std::string, BackendTarget> BackendTargets(const core::Config& config,
                                                    const std::vector<Endpoint>& endpoints);

// "a:b::c" → {"a", "b", "c"}.
std::vector<std::string> SplitList(const std::string& text, char separator);

}  // namespace ss::gateway
