// Shared steps of the issue 17 acceptance tests (API tokens, the audit log).
#pragma once

#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform_stack.h"

namespace ss::test {

// The platform the identity tests run: auth, the gateway, session and tracker (the emulator with
// the firefox template), with a short token poll so that revocations show within a second.
PlatformOptions IdentityPlatform(bool with_nodes = false);

// POST /api/v1/tokens as `owner_token`: requires 200 and waits until the gateway knows the token;
// returns {token, apiToken}. The token is remembered as a secret.
nlohmann::json MakeApiToken(PlatformStack& stack, const std::string& owner_token,
                            const std::string& name, const std::vector<std::string>& scopes,
                            const std::string& expires_at = "");

// A client context with `authorization: Bearer <token>`.
void Authorize(grpc::ClientContext* context, const std::string& token);

}  // namespace ss::test
