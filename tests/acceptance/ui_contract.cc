#include "ui_contract.h"

#include <catch2/catch.hpp>

namespace ss::test {

std::string ApiTs(int line, const std::string& call) {
  return "api.ts:" + std::to_string(line) + " " + call;
}

std::string UseWebSocketTs(int line, const std::string& hook) {
  return "useWebSocket.ts:" + std::to_string(line) + " " + hook;
}

PlatformOptions UiPlatform() {
  PlatformOptions options;
  for (const char* name : {"session", "tracker", "catalog", "nodes"})
    options.services.push_back(ServiceSpec{name, 1, {}});
  options.services[2].env["CATALOG_SECRET_KEY"] = RandomString(32);
  return options;
}

Session NewUserWithRole(PlatformStack& stack, const std::string& admin_token,
                        const std::string& username, const std::string& role) {
  const auto [id, password] = stack.auth().CreateUser(admin_token, username);
  HttpClient api = stack.Api();
  const HttpResponse changed = UiCall(api, "PATCH", "/users/" + id, admin_token, {{"role", role}});
  INFO(changed.body);
  REQUIRE(changed.status == 200);
  return stack.auth().Login(username, password);
}

HttpResponse UiCall(HttpClient& api, const std::string& method, const std::string& path,
                    const std::string& token, const nlohmann::json& body) {
  HttpRequest request;
  request.method = method;
  request.target = "/api/v1" + path;
  request.headers["content-type"] = "application/json";
  if (!token.empty())
    request.headers["authorization"] = "Bearer " + token;
  if (!body.is_discarded())
    request.body = body.dump();
  return api.Send(request);
}

}  // namespace ss::test
