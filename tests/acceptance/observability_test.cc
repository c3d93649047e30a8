// Issue 2 acceptance: the OpenAPI document, the internal metrics port, and logs without secrets.
#include <catch2/catch.hpp>
#include <set>

#include "auth_stack.h"
#include "google/api/annotations.pb.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::test {
namespace {

struct AnnotatedRoute {
  std::string method;  // lower-case, as OpenAPI writes it
  std::string path;
};

// Every google.api.http binding of the compiled AuthService descriptor, additional ones included.
std::vector<AnnotatedRoute> AnnotatedRoutes() {
  std::vector<AnnotatedRoute> routes;
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "streamspace.auth.v1.AuthService");
  REQUIRE(service != nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    const auto& options = service->method(i)->options();
    if (!options.HasExtension(google::api::http))
      continue;
    std::vector<google::api::HttpRule> rules{options.GetExtension(google::api::http)};
    for (const auto& extra : rules.front().additional_bindings())
      rules.push_back(extra);
    for (const auto& rule : rules) {
      if (!rule.get().empty())
        routes.push_back({"get", rule.get()});
      if (!rule.post().empty())
        routes.push_back({"post", rule.post()});
      if (!rule.patch().empty())
        routes.push_back({"patch", rule.patch()});
      if (!rule.put().empty())
        routes.push_back({"put", rule.put()});
      if (!rule.delete_().empty())
        routes.push_back({"delete", rule.delete_()});
    }
  }
  return routes;
}

// The sum of the samples of every metric line that mentions all of `needles`.
double SumOfSamples(const std::string& exposition, const std::vector<std::string>& needles) {
  double sum = 0;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    if (line.find("_bucket") != std::string::npos || line.find("_sum") != std::string::npos) {
      continue;
    }
    bool all = true;
    for (const auto& needle : needles)
      all = all && line.find(needle) != std::string::npos;
    if (!all)
      continue;
    const auto space = line.rfind(' ');
    if (space != std::string::npos)
      sum += std::stod(line.substr(space + 1));
  }
  return sum;
}

}  // namespace

TEST_CASE("/openapi.json lists every annotated route", "[openapi]") {
  AuthStack stack;
  const auto response = stack.Api().Get("/openapi.json");
  REQUIRE(response.status == 200);
  const auto document = response.Json();
  REQUIRE(document.is_object());
  REQUIRE(document.contains("paths"));
  const auto routes = AnnotatedRoutes();
  REQUIRE(routes.size() >= 10);
  for (const auto& route : routes) {
    INFO(route.method << " " << route.path);
    REQUIRE(document["paths"].contains(route.path));
    CHECK(document["paths"][route.path].contains(route.method));
  }
}

TEST_CASE("/metrics on the internal port counts the requests; the public port does not serve it",
          "[metrics]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  HttpClient metrics("127.0.0.1", stack.gateway_metrics_port());
  const auto before = metrics.Get("/metrics");
  REQUIRE(before.status == 200);
  constexpr int kRequests = 7;
  // On one keep-alive connection, as a browser would send them.
  HttpClient api("127.0.0.1", stack.api_port(), /*keep_alive=*/true);
  for (int i = 0; i < kRequests; ++i) {
    REQUIRE(api.Get("/api/v1/users/me", admin.token).status == 200);
  }
  const auto after = metrics.Get("/metrics");
  REQUIRE(after.status == 200);
  INFO(after.body.substr(0, 4000));
  const std::vector<std::string> me_ok{"/api/v1/users/me", "200"};
  CHECK(SumOfSamples(after.body, me_ok) - SumOfSamples(before.body, me_ok) >= kRequests);
  CHECK(after.body.find("/api/v1/auth/login") != std::string::npos);

  // The auth service counts the same calls on its own internal port.
  HttpClient auth_metrics("127.0.0.1", stack.auth().front().metrics_port);
  const auto auth_exposition = auth_metrics.Get("/metrics");
  REQUIRE(auth_exposition.status == 200);
  CHECK(SumOfSamples(auth_exposition.body, {"GetMe"}) >= kRequests);

  const auto public_metrics = stack.Api().Get("/metrics");
  CHECK(public_metrics.status == 404);
  CHECK(IsStatusBody(public_metrics, 5));
}

TEST_CASE("passwords and tokens appear in no log line", "[logs]") {
  AuthStack stack;
  const auto admin = stack.Login("admin", stack.admin_password());
  const auto [user_id, password] = stack.CreateUser(admin.token, "grace");
  const auto grace = stack.Login("grace", password);

  // Refresh, change the password (with a wrong old one first), reset it, fail a login, sign out:
  // every path that handles a secret.
  const auto refreshed =
      stack.Api().Post("/api/v1/auth/refresh", nlohmann::json{{"token", grace.token}}.dump());
  REQUIRE(refreshed.status == 200);
  const std::string new_token = refreshed.Json()["token"];
  stack.Remember(new_token);
  const std::string wrong = "Wrong-" + RandomString(16);
  stack.Remember(wrong);
  const std::string changed_password = "Changed-" + RandomString(16);
  stack.Remember(changed_password);
  CHECK(stack.Api()
            .Post("/api/v1/auth/change-password",
                  nlohmann::json{{"oldPassword", wrong}, {"newPassword", changed_password}}.dump(),
                  new_token)
            .status == 403);
  const auto changed = stack.Api().Post(
      "/api/v1/auth/change-password",
      nlohmann::json{{"oldPassword", password}, {"newPassword", changed_password}}.dump(),
      new_token);
  INFO(changed.body);
  CHECK(changed.status == 200);
  const std::string new_password = "Reset-" + RandomString(16);
  stack.Remember(new_password);
  CHECK(stack.Api()
            .Patch("/api/v1/users/" + user_id, nlohmann::json{{"password", new_password}}.dump(),
                   admin.token)
            .status == 200);
  CHECK(stack.Api()
            .Post("/api/v1/auth/login",
                  nlohmann::json{{"username", "grace"}, {"password", wrong}}.dump())
            .status == 401);
  const auto again = stack.Login("grace", new_password);
  CHECK(stack.Api().Post("/api/v1/auth/logout", "{}", again.token).status == 200);
  // A refused bearer token is not logged either.
  const std::string forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." + RandomString(20);
  stack.Remember(forged);
  CHECK(stack.Api().Get("/api/v1/users/me", forged).status == 401);

  stack.RequireNoSecretsInLogs();
}

}  // namespace ss::test
