#include "identity_support.h"

#include <catch2/catch.hpp>
#include <thread>

#include "session_support.h"

namespace ss::test {

PlatformOptions IdentityPlatform(bool with_nodes) {
  PlatformOptions options = SessionPlatform(1);
  for (ServiceSpec& service : options.services)
    service.env["REVOCATION_POLL_INTERVAL"] = "300ms";
  if (with_nodes)
    options.services.push_back(ServiceSpec{"nodes", 1, {{"REVOCATION_POLL_INTERVAL", "300ms"}}});
  options.gateway_env["REVOCATION_POLL_INTERVAL"] = "300ms";
  return options;
}

nlohmann::json MakeApiToken(PlatformStack& stack, const std::string& owner_token,
                            const std::string& name, const std::vector<std::string>& scopes,
                            const std::string& expires_at) {
  nlohmann::json body{{"name", name}, {"scopes", scopes}};
  if (!expires_at.empty())
    body["expiresAt"] = expires_at;
  INFO("creating API token " << name);
  nlohmann::json created = Ok(stack.Api().Post("/api/v1/tokens", body.dump(), owner_token));
  const std::string token = created.value("token", "");
  stack.Remember(token);
  // Every process learns of a new token at its next poll: the gateway's answer turns from 401
  // (unknown) to 403 (tokens cannot list tokens).
  HttpClient api = stack.Api();
  REQUIRE(Eventually([&] { return api.Get("/api/v1/tokens", token).status == 403; }));
  // The services poll as often as the gateway (300 ms here): give the slowest three polls.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  return created;
}

void Authorize(grpc::ClientContext* context, const std::string& token) {
  context->AddMetadata("authorization", "Bearer " + token);
}

}  // namespace ss::test
