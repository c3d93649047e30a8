#include "auth_stack.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <random>
#include <stdexcept>
#include <thread>

namespace ss::test {

Environment BaseEnvironment() {
  return {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"LOG_LEVEL", "debug"}};
}

std::string RandomString(size_t length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string out;
  for (size_t i = 0; i < length; ++i)
    out.push_back(kAlphabet[pick(engine)]);
  return out;
}

bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (probe())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool IsStatusBody(const HttpResponse& response, int code) {
  const auto body = response.Json();
  return body.is_object() && body.contains("code") && body["code"] == code &&
         body.contains("message") && body["message"].is_string() && body.contains("details") &&
         body["details"].is_array();
}

void RequireError(const HttpResponse& response, int http_status, int code) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == http_status);
  CHECK(IsStatusBody(response, code));
}

nlohmann::json Ok(const HttpResponse& response) {
  INFO(response.status << " " << response.body);
  REQUIRE(response.status == 200);
  return response.body.empty() ? nlohmann::json() : response.Json();
}

AuthStack::AuthStack(StackOptions options)
    : log_dir_("ss-acceptance-"),
      postgres_(std::make_unique<PostgresInstance>()),
      auth_role_(postgres_->CreateServiceRole("auth")),
      admin_password_("Adm1n-" + RandomString(20)),
      auth_service_secret_(RandomString(32)),
      gateway_service_secret_(RandomString(32)) {
  Remember(admin_password_);
  Remember(auth_role_.password);
  Remember(auth_service_secret_);
  Remember(gateway_service_secret_);
  for (const auto& service : options.service_clients) {
    service_secrets_[service] = RandomString(32);
    Remember(service_secrets_[service]);
  }
  StartAuth(options);
  if (options.gateway)
    StartGateway();
}

AuthStack::~AuthStack() {
  if (gateway_)
    gateway_->Stop();
  for (auto& replica : auth_)
    replica.process->Stop();
  // A test that failed with REQUIRE unwinds through here: show what the servers said.
  if (std::uncaught_exceptions() > 0) {
    for (const auto& file : LogFiles()) {
      const std::string content = ReadFile(file);
      std::fprintf(stderr, "--- %s (last 4 KiB) ---\n%s\n", file.filename().c_str(),
                   content.substr(content.size() > 4096 ? content.size() - 4096 : 0).c_str());
    }
  }
}

void AuthStack::StartAuth(const StackOptions& options) {
  const auto binary = RequiredEnv("AUTH_SERVICE_BIN");
  // Replicas start together, so that they race for the migrations.
  for (int i = 0; i < options.auth_replicas; ++i) {
    AuthReplica replica;
    replica.grpc_port = FreePort();
    replica.metrics_port = FreePort();
    Environment env = BaseEnvironment();
    env.merge(postgres_->ServiceEnvironment(auth_role_));
    env["GRPC_ADDR"] = replica.address();
    env["METRICS_PORT"] = std::to_string(replica.metrics_port);
    env["ADMIN_PASSWORD"] = admin_password_;
    env["SERVICE_SECRET"] = auth_service_secret_;
    std::string clients = "auth=" + auth_service_secret_ + ",gateway=" + gateway_service_secret_;
    for (const auto& [service, secret] : service_secrets_)
      clients += "," + service + "=" + secret;
    env["SERVICE_CLIENTS"] = clients;
    if (!options.access_token_ttl.empty())
      env["ACCESS_TOKEN_TTL"] = options.access_token_ttl;
    env["SESSION_ADDR"] = "127.0.0.1:" + std::to_string(FreePort());
    for (const auto& [name, value] : options.auth_env)
      env[name] = value;
    replica.process = std::make_unique<Process>(ProcessOptions{
        binary, {}, env, log_dir_.path() / ("auth-" + std::to_string(i) + ".log"), std::nullopt});
    auth_.push_back(std::move(replica));
  }
  for (auto& replica : auth_) {
    if (!replica.process->WaitForPort(replica.grpc_port)) {
      throw std::runtime_error("auth-service did not start:\n" + replica.process->LogContents());
    }
  }
}

void AuthStack::StartGateway(const Environment& extra) {
  api_port_ = FreePort();
  gateway_metrics_port_ = FreePort();
  Environment env = BaseEnvironment();
  env["API_PORT"] = std::to_string(api_port_);
  env["METRICS_PORT"] = std::to_string(gateway_metrics_port_);
  env["AUTH_ADDR"] = auth_.front().address();
  env["SERVICE_SECRET"] = gateway_service_secret_;
  for (const auto& [name, value] : extra)
    env[name] = value;
  gateway_ = std::make_unique<Process>(ProcessOptions{
      RequiredEnv("GATEWAY_BIN"), {}, env, log_dir_.path() / "gateway.log", std::nullopt});
  if (!gateway_->WaitForPort(api_port_)) {
    throw std::runtime_error("gateway did not start:\n" + gateway_->LogContents());
  }
  // Healthy means the gateway reaches auth and has checked every backend. A PlatformStack may run
  // only some of the product's backends: the others stay NOT_SERVING.
  const bool healthy = Eventually(
      [&] {
        try {
          const HttpResponse health = Api().Get("/health");
          if (health.status == 200)
            return true;
          const nlohmann::json backends = health.Json().value("backends", nlohmann::json());
          if (!backends.is_object() || backends.value("auth", "") != "SERVING")
            return false;
          for (const auto& [name, state] : backends.items()) {
            if (state == "UNKNOWN")
              return false;
          }
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      std::chrono::seconds(30));
  if (!healthy)
    throw std::runtime_error("gateway not healthy:\n" + gateway_->LogContents());
}

Session AuthStack::Login(const std::string& username, const std::string& password) {
  const nlohmann::json body{{"username", username}, {"password", password}};
  const auto response = Api().Post("/api/v1/auth/login", body.dump());
  INFO("login " << username << ": " << response.status << " " << response.body);
  REQUIRE(response.status == 200);
  const auto json = response.Json();
  REQUIRE(json.contains("token"));
  REQUIRE(json.contains("expiresAt"));
  REQUIRE(json["user"]["username"] == username);
  Session session{json["token"], json["user"]["id"]};
  Remember(session.token);
  return session;
}

std::pair<std::string, std::string> AuthStack::CreateUser(const std::string& admin_token,
                                                          const std::string& username) {
  const std::string password = "Pw-" + RandomString(20);
  Remember(password);
  const nlohmann::json body{{"username", username},
                            {"email", username + "@example.org"},
                            {"fullName", "User " + username},
                            {"role", "user"},
                            {"password", password}};
  const auto response = Api().Post("/api/v1/users", body.dump(), admin_token);
  INFO("create user " << username << ": " << response.status << " " << response.body);
  REQUIRE(response.status == 200);
  const auto json = response.Json();
  REQUIRE(json["username"] == username);
  REQUIRE(json["role"] == "user");
  REQUIRE_FALSE(json.contains("password"));
  return {json["id"], password};
}

void AuthStack::Remember(const std::string& secret) {
  if (!secret.empty())
    secrets_.push_back(secret);
}

std::vector<std::filesystem::path> AuthStack::LogFiles() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(log_dir_.path())) {
    files.push_back(entry.path());
  }
  files.push_back(postgres_->log_path());
  return files;
}

void AuthStack::RequireNoSecretsInLogs() const {
  size_t total_bytes = 0;
  for (const auto& file : LogFiles()) {
    const std::string content = ReadFile(file);
    total_bytes += content.size();
    for (const auto& secret : secrets_) {
      INFO("log " << file.filename().string() << " contains a secret of " << secret.size()
                  << " characters");
      CHECK(content.find(secret) == std::string::npos);
    }
  }
  // The services log something (start-up, requests): an empty log proves nothing.
  CHECK(total_bytes > 0);
}

const std::string& AuthStack::ServiceSecret(const std::string& service) const {
  return service_secrets_.at(service);
}

std::shared_ptr<grpc::Channel> AuthStack::AuthChannel(size_t index) const {
  return grpc::CreateChannel(auth_.at(index).address(), grpc::InsecureChannelCredentials());
}

}  // namespace ss::test
