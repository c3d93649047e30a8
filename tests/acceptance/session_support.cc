#include "session_support.h"

#include <catch2/catch.hpp>

namespace ss::test {

PlatformOptions SessionPlatform(int session_replicas) {
  PlatformOptions options;
  ServiceSpec session{"session", session_replicas, {}};
  session.env["LAST_ACTIVITY_INTERVAL"] = "1s";
  session.env["ACTIVITY_POLL_INTERVAL"] = "200ms";
  session.env["CONFIG_REFRESH"] = "500ms";
  options.services.push_back(session);
  options.services.push_back(ServiceSpec{"tracker", 1, {}});
  return options;
}

void ApplyFirefox(PlatformStack& stack) {
  stack.Apply(TemplateYaml("firefox"));
}

nlohmann::json CreateSession(HttpClient& api, const std::string& token,
                             const nlohmann::json& body) {
  const HttpResponse response = api.Post("/api/v1/sessions", body.dump(), token);
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  return response.Json();
}

std::string KubectlNames(PlatformStack& stack, const std::string& kind) {
  const auto [status, output] = stack.Kubectl("-n streamspace get " + kind + " -o name");
  INFO(output);
  REQUIRE(status == 0);
  return output;
}

std::string MirroredIds(PlatformStack& stack) {
  return stack.postgres().Query("SELECT id FROM session.sessions ORDER BY id");
}

}  // namespace ss::test
