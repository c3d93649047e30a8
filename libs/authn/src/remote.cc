#include "authn/remote.h"

#include <spdlog/spdlog.h>

#include "core/rfc3339.h"

namespace ss::authn {
namespace {

namespace pb = streamspace::auth::v1;

constexpr std::chrono::seconds kCallDeadline{3};
// Used when a token's expiry cannot be read: renew soon rather than hold a dead token.
constexpr std::chrono::seconds kFallbackRenewal{60};

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
}

std::string Reason(const grpc::Status& status) {
  return std::to_string(static_cast<int>(status.error_code())) + " " + status.error_message();
}

}  // namespace

ApiTokenSnapshot FromProto(const streamspace::auth::v1::ApiTokenDirectory& directory) {
  ApiTokenSnapshot snapshot;
  snapshot.version = directory.version();
  snapshot.changed = directory.changed();
  snapshot.tokens.reserve(directory.tokens_size());
  for (const pb::ApiTokenGrant& grant : directory.tokens()) {
    snapshot.tokens.push_back(ApiTokenGrant{grant.id(),
                                            grant.secret_hash(),
                                            grant.user_id(),
                                            grant.username(),
                                            grant.role(),
                                            grant.active(),
                                            {grant.scopes().begin(), grant.scopes().end()},
                                            grant.expires_at_ms()});
  }
  return snapshot;
}

std::vector<core::Variable> IssuerVariables() {
  return {
      {"AUTH_ISSUER", "streamspace",
       "`iss` of access tokens: written by auth, required by every verifier."},
      {"AUTH_AUDIENCE", "streamspace",
       "`aud` of access tokens: written by auth, required by every verifier."},
  };
}

std::vector<core::Variable> AuthnVariables() {
  std::vector<core::Variable> variables = IssuerVariables();
  variables.push_back({"AUTH_ADDR", "127.0.0.1:9001",
                       "gRPC address of the auth service (keys, revocations, service tokens)."});
  variables.push_back(
      {"SERVICE_SECRET", "",
       "This process's client secret for its `service` token (auth's SERVICE_CLIENTS).", true});
  variables.push_back(
      {"REVOCATION_POLL_INTERVAL", "1s", "How often revocations are polled from auth."});
  return variables;
}

VerifierOptions VerifierOptionsFrom(const core::Config& config) {
  VerifierOptions options;
  options.issuer = config.Get("AUTH_ISSUER");
  options.audience = config.Get("AUTH_AUDIENCE");
  return options;
}

ServiceCredentials::ServiceCredentials(std::shared_ptr<grpc::Channel> auth_channel,
                                       std::string service, std::string secret)
    : stub_(pb::AuthService::NewStub(std::move(auth_channel))),
      service_(std::move(service)),
      secret_(std::move(secret)) {}

grpc::Status ServiceCredentials::Token(std::string* token) {
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  if (!token_.empty() && now < renew_at_) {
    *token = token_;
    return grpc::Status::OK;
  }
  if (secret_.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "SERVICE_SECRET is not set");
  }
  pb::IssueServiceTokenRequest request;
  request.set_service(service_);
  request.set_secret(secret_);
  pb::IssueServiceTokenResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub_->IssueServiceToken(&context, request, &response);
  if (!status.ok())
    return status;
  token_ = response.token();
  // Renewed after two thirds of the lifetime the answer states (the token is opaque to us).
  Clock::duration renew_after = kFallbackRenewal;
  if (const auto expires_at = core::ParseRfc3339(response.expires_at())) {
    const auto left = *expires_at - std::chrono::system_clock::now();
    if (left > Clock::duration::zero())
      renew_after = std::chrono::duration_cast<Clock::duration>(left * 2 / 3);
  }
  renew_at_ = now + renew_after;
  *token = token_;
  return grpc::Status::OK;
}

grpc::Status ServiceCredentials::Authorize(grpc::ClientContext* context) {
  std::string token;
  const grpc::Status status = Token(&token);
  if (status.ok())
    context->AddMetadata("authorization", "Bearer " + token);
  return status;
}

GrpcAuthFeed::GrpcAuthFeed(std::shared_ptr<grpc::Channel> auth_channel,
                           std::shared_ptr<ServiceCredentials> credentials)
    : stub_(pb::AuthService::NewStub(std::move(auth_channel))),
      credentials_(std::move(credentials)) {}

bool GrpcAuthFeed::FetchKeys(std::vector<Jwk>* keys, std::string* error) {
  grpc::ClientContext context;
  SetDeadline(&context);
  pb::Jwks response;
  const grpc::Status status = stub_->GetJwks(&context, pb::GetJwksRequest(), &response);
  if (!status.ok()) {
    *error = "GetJwks: " + Reason(status);
    return false;
  }
  keys->clear();
  for (const pb::Jwk& key : response.keys()) {
    keys->push_back(Jwk{key.kty(), key.crv(), key.kid(), key.alg(), key.use(), key.x()});
  }
  return true;
}

bool GrpcAuthFeed::FetchRevocations(int64_t after, RevocationBatch* batch, std::string* error) {
  grpc::ClientContext context;
  SetDeadline(&context);
  grpc::Status status = credentials_->Authorize(&context);
  if (!status.ok()) {
    *error = "IssueServiceToken: " + Reason(status);
    return false;
  }
  pb::ListRevocationsRequest request;
  request.set_after(after);
  pb::ListRevocationsResponse response;
  status = stub_->ListRevocations(&context, request, &response);
  if (!status.ok()) {
    *error = "ListRevocations: " + Reason(status);
    return false;
  }
  batch->revocations.clear();
  for (const pb::Revocation& entry : response.revocations()) {
    batch->revocations.push_back(Revocation{entry.sequence(), entry.session_id(), entry.user_id(),
                                            entry.not_before_ms(), entry.expires_at_ms()});
  }
  batch->latest = response.latest();
  return true;
}

bool GrpcAuthFeed::SyncApiTokens(int64_t known_version, const std::vector<ApiTokenUse>& uses,
                                 ApiTokenSnapshot* snapshot, std::string* error) {
  grpc::ClientContext context;
  SetDeadline(&context);
  grpc::Status status = credentials_->Authorize(&context);
  if (!status.ok()) {
    *error = "IssueServiceToken: " + Reason(status);
    return false;
  }
  pb::SyncApiTokensRequest request;
  request.set_known_version(known_version);
  for (const ApiTokenUse& use : uses) {
    pb::ApiTokenUse* out = request.add_uses();
    out->set_token_id(use.token_id);
    out->set_used_at_ms(use.used_at_ms);
  }
  pb::ApiTokenDirectory response;
  status = stub_->SyncApiTokens(&context, request, &response);
  if (!status.ok()) {
    *error = "SyncApiTokens: " + Reason(status);
    return false;
  }
  *snapshot = FromProto(response);
  return true;
}

RemoteVerifier::RemoteVerifier(const core::Config& config, std::string service)
    : channel_(grpc::CreateChannel(config.Get("AUTH_ADDR"), grpc::InsecureChannelCredentials())),
      credentials_(std::make_shared<ServiceCredentials>(channel_, std::move(service),
                                                        config.Get("SERVICE_SECRET"))),
      verifier_(std::make_shared<Verifier>(VerifierOptionsFrom(config))) {
  RefresherOptions options;
  options.revocation_interval = config.GetDuration("REVOCATION_POLL_INTERVAL");
  refresher_ = std::make_unique<VerifierRefresher>(
      verifier_, std::make_shared<GrpcAuthFeed>(channel_, credentials_), options);
}

void RemoteVerifier::WaitReady(std::chrono::milliseconds timeout) {
  if (!refresher_->WaitReady(timeout))
    spdlog::warn("no signing keys from auth yet; calls are refused until they arrive");
}

}  // namespace ss::authn
