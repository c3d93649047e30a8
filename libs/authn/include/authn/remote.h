// Token verification for every process but auth itself: keys and revocations polled from the
// auth service over gRPC, and the process's own `service` token for background calls.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "authn/refresher.h"
#include "authn/verifier.h"
#include "core/config.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::authn {

// AUTH_ISSUER and AUTH_AUDIENCE: what an issuer writes and a verifier expects.
std::vector<core::Variable> IssuerVariables();
// IssuerVariables plus AUTH_ADDR, SERVICE_SECRET (secret) and REVOCATION_POLL_INTERVAL.
std::vector<core::Variable> AuthnVariables();
// Issuer and audience from the configuration; the other options keep their defaults.
VerifierOptions VerifierOptionsFrom(const core::Config& config);

// The answer of auth's SyncApiTokens as the Verifier takes it.
ApiTokenSnapshot FromProto(const streamspace::auth::v1::ApiTokenDirectory& directory);

// A process's `service` identity: a token obtained from auth with IssueServiceToken and renewed
// before it expires. Thread-safe; reused by anything that calls other services in the
// background.
class ServiceCredentials {
 public:
  ServiceCredentials(std::shared_ptr<grpc::Channel> auth_channel, std::string service,
                     std::string secret);

  // The current token, fetched or renewed when less than a third of its life is left.
  grpc::Status Token(std::string* token);
  // Adds `authorization: Bearer <token>` to an outgoing call.
  grpc::Status Authorize(grpc::ClientContext* context);

 private:
  using Clock = std::chrono::steady_clock;
  std::unique_ptr<streamspace::auth::v1::AuthService::Stub> stub_;
  std::string service_;
  std::string secret_;
  std::mutex mutex_;
  std::string token_;
  Clock::time_point renew_at_{};
};

// Keys from GetJwks and revocations from ListRevocations (with a service token).
class GrpcAuthFeed final : public AuthFeed {
 public:
  GrpcAuthFeed(std::shared_ptr<grpc::Channel> auth_channel,
               std::shared_ptr<ServiceCredentials> credentials);
  bool FetchKeys(std::vector<Jwk>* keys, std::string* error) override;
  bool FetchRevocations(int64_t after, RevocationBatch* batch, std::string* error) override;
  bool SyncApiTokens(int64_t known_version, const std::vector<ApiTokenUse>& uses,
                     ApiTokenSnapshot* snapshot, std::string* error) override;

 private:
  std::unique_ptr<streamspace::auth::v1::AuthService::Stub> stub_;
  std::shared_ptr<ServiceCredentials> credentials_;
};

// Everything above, wired from AuthnVariables: one channel to AUTH_ADDR, the credentials, a
// Verifier and the poller that feeds it (revocations every REVOCATION_POLL_INTERVAL, keys every
// minute and on an unknown kid).
class RemoteVerifier {
 public:
  // `service` is this process's client name at auth (its secret is SERVICE_SECRET).
  RemoteVerifier(const core::Config& config, std::string service);

  std::shared_ptr<Verifier> verifier() const { return verifier_; }
  const std::shared_ptr<ServiceCredentials>& credentials() const { return credentials_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  bool ready() const { return verifier_->ready(); }
  // Waits up to `timeout` for auth's signing keys; without them by then, says so in the log (calls
  // are refused until they arrive) and returns.
  void WaitReady(std::chrono::milliseconds timeout);

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<ServiceCredentials> credentials_;
  std::shared_ptr<Verifier> verifier_;
  std::unique_ptr<VerifierRefresher> refresher_;
};

}  // namespace ss::authn
