// The stack the acceptance tests of issue 2 run against: a throw-away PostgreSQL, one or more
// auth-service replicas and the gateway, each on free loopback ports, with logs in a temporary
// directory. Every password and token the test handles is remembered, so that the test can prove
// none of them reached a log.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.h"
#include "postgres.h"
#include "process.h"

namespace ss::test {

struct StackOptions {
  int auth_replicas = 1;
  bool gateway = true;
  // ACCESS_TOKEN_TTL for auth ("" keeps its default).
  std::string access_token_ttl;
  // Further services that get a client secret at auth (SERVICE_CLIENTS), e.g. "session".
  std::vector<std::string> service_clients;
  // Added to auth's environment, such as SESSION_ADDR (by default an address where nothing
  // listens: auth's user list then answers without quotas).
  Environment auth_env;
};

struct AuthReplica {
  int grpc_port = 0;
  int metrics_port = 0;
  std::unique_ptr<Process> process;
  std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port); }
};

struct Session {
  std::string token;
  std::string user_id;
};

class AuthStack {
 public:
  explicit AuthStack(StackOptions options = {});
  ~AuthStack();

  PostgresInstance& postgres() { return *postgres_; }
  const std::string& admin_password() const { return admin_password_; }
  int api_port() const { return api_port_; }
  int gateway_metrics_port() const { return gateway_metrics_port_; }
  std::vector<AuthReplica>& auth() { return auth_; }

  // A client of the gateway's public port.
  HttpClient Api() const { return HttpClient("127.0.0.1", api_port_); }

  // POST /api/v1/auth/login; requires 200 and remembers the tokens.
  Session Login(const std::string& username, const std::string& password);
  // Admin creates a user (role "user") with a fresh password; returns its id and password.
  std::pair<std::string, std::string> CreateUser(const std::string& admin_token,
                                                 const std::string& username);

  // Secrets that must appear in no log line.
  void Remember(const std::string& secret);
  // Every log file the stack produced (services, gateway, PostgreSQL).
  std::vector<std::filesystem::path> LogFiles() const;
  // Fails the running test for every remembered secret found in a log.
  void RequireNoSecretsInLogs() const;

  // A channel to auth replica `index`.
  std::shared_ptr<grpc::Channel> AuthChannel(size_t index = 0) const;

  // Starts the gateway (when StackOptions::gateway was false) with further environment, such as
  // the addresses of other backends, and waits until it is healthy.
  void StartGateway(const Environment& extra = {});
  // The client secret of a service named in StackOptions::service_clients.
  const std::string& ServiceSecret(const std::string& service) const;
  const std::filesystem::path& log_dir() const { return log_dir_.path(); }

 private:
  void StartAuth(const StackOptions& options);

  TempDir log_dir_;
  std::unique_ptr<PostgresInstance> postgres_;
  ServiceRole auth_role_;
  std::string admin_password_;
  std::string auth_service_secret_;
  std::string gateway_service_secret_;
  std::map<std::string, std::string> service_secrets_;
  std::vector<AuthReplica> auth_;
  std::unique_ptr<Process> gateway_;
  int api_port_ = 0;
  int gateway_metrics_port_ = 0;
  std::vector<std::string> secrets_;
};

// The environment every child process of a stack starts from.
Environment BaseEnvironment();

// A random string of lower-case letters and digits.
std::string RandomString(size_t length);

// Polls `probe` until it returns true or `timeout` passes; returns the last result.
bool Eventually(const std::function<bool()>& probe,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The standard error body {"code": <code>, "message": "...", "details": [...]}.
bool IsStatusBody(const HttpResponse& response, int code);

// Requires the HTTP status and the standard error body with the gRPC code.
void RequireError(const HttpResponse& response, int http_status, int code);

// Requires 200; the body as JSON (null when empty).
nlohmann::json Ok(const HttpResponse& response);

}  // namespace ss::test
