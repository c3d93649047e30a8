// An in-process stand-in for the auth service's key and token endpoints (GetJwks,
// IssueServiceToken, ListRevocations, SyncApiTokens with no API tokens, and a RecordAudit that
// drops what it gets) on a loopback port, for tests and benchmarks of the gateway
// that need real signed tokens without PostgreSQL: processes pointed at it with AUTH_ADDR verify
// the tokens it issues exactly as they verify auth's.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

namespace ss::test {

class FakeAuth {
 public:
  FakeAuth();
  ~FakeAuth();
  FakeAuth(const FakeAuth&) = delete;
  FakeAuth& operator=(const FakeAuth&) = delete;

  // "127.0.0.1:<port>", for AUTH_ADDR.
  const std::string& address() const { return address_; }
  // The SERVICE_SECRET that IssueServiceToken accepts (for any service name).
  static constexpr const char* kServiceSecret = "fake-auth-service-secret";

  // An access token for this user and role (user, admin or service).
  std::string Issue(const std::string& username, const std::string& role,
                    std::chrono::seconds ttl = std::chrono::hours(1)) const;

  // Revokes every token of the user issued so far (as disabling the user does).
  void RevokeUser(const std::string& username);

 private:
  class Service;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace ss::test
