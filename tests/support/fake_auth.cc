#include "fake_auth.h"

#include <atomic>
#include <mutex>
#include <vector>

#include "authn/signing_key.h"
#include "authn/verifier.h"
#include "streamspace/auth/v1/auth.grpc.pb.h"

namespace ss::test {

namespace pb = streamspace::auth::v1;

class FakeAuth::Service final : public pb::AuthService::Service {
 public:
  Service() : key_(authn::SigningKey::Generate("fake-auth-1")) {}

  std::string Issue(const std::string& subject, const std::string& username,
                    const std::string& role, std::chrono::seconds ttl) const {
    authn::Claims claims;
    claims.subject = subject;
    claims.username = username;
    claims.role = role;
    claims.session_id = "fake-" + std::to_string(++sessions_);
    claims.issuer = "streamspace";
    claims.audience = "streamspace";
    claims.issued_at_ms = authn::SystemNowMs();
    claims.not_before_ms = claims.issued_at_ms;
    claims.expires_at_ms =
        claims.issued_at_ms + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
    return key_.Sign(claims);
  }

  grpc::Status GetJwks(grpc::ServerContext*, const pb::GetJwksRequest*, pb::Jwks* reply) override {
    const auto jwk = key_.PublicJwk();
    auto* key = reply->add_keys();
    key->set_kty(jwk.kty);
    key->set_crv(jwk.crv);
    key->set_kid(jwk.kid);
    key->set_alg(jwk.alg);
    key->set_use(jwk.use);
    key->set_x(jwk.x);
    return grpc::Status::OK;
  }

  grpc::Status IssueServiceToken(grpc::ServerContext*, const pb::IssueServiceTokenRequest* request,
                                 pb::IssueServiceTokenResponse* reply) override {
    if (request->secret() != kServiceSecret)
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "bad client secret");
    reply->set_token(Issue("service:" + request->service(), request->service(), "service",
                           std::chrono::hours(1)));
    return grpc::Status::OK;
  }

  grpc::Status ListRevocations(grpc::ServerContext*, const pb::ListRevocationsRequest* request,
                               pb::ListRevocationsResponse* reply) override {
    std::lock_guard lock(mutex_);
    reply->set_latest(request->after());
    for (const auto& revocation : revocations_) {
      if (revocation.sequence() > request->after()) {
        *reply->add_revocations() = revocation;
        reply->set_latest(revocation.sequence());
      }
    }
    return grpc::Status::OK;
  }

  // No API tokens here; the version never moves.
  grpc::Status SyncApiTokens(grpc::ServerContext*, const pb::SyncApiTokensRequest* request,
                             pb::ApiTokenDirectory* reply) override {
    reply->set_version(1);
    reply->set_changed(request->known_version() != 1);
    return grpc::Status::OK;
  }

  // Audit records are taken and dropped.
  grpc::Status RecordAudit(grpc::ServerContext*, const pb::RecordAuditRequest*,
                           pb::RecordAuditResponse*) override {
    return grpc::Status::OK;
  }

  void RevokeSubject(const std::string& subject) {
    std::lock_guard lock(mutex_);
    pb::Revocation revocation;
    revocation.set_sequence(static_cast<int64_t>(revocations_.size()) + 1);
    revocation.set_user_id(subject);
    // Tokens issued within this millisecond are revoked too.
    revocation.set_not_before_ms(authn::SystemNowMs() + 1);
    revocation.set_expires_at_ms(authn::SystemNowMs() + 24 * 3600 * 1000);
    revocations_.push_back(std::move(revocation));
  }

 private:
  authn::SigningKey key_;
  mutable std::atomic<int> sessions_{0};
  std::mutex mutex_;
  std::vector<pb::Revocation> revocations_;
};

FakeAuth::FakeAuth() : service_(std::make_unique<Service>()) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0)
    throw std::runtime_error("fake auth: cannot listen");
  address_ = "127.0.0.1:" + std::to_string(port);
}

FakeAuth::~FakeAuth() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

std::string FakeAuth::Issue(const std::string& username, const std::string& role,
                            std::chrono::seconds ttl) const {
  return service_->Issue("user-" + username, username, role, ttl);
}

void FakeAuth::RevokeUser(const std::string& username) {
  service_->RevokeSubject("user-" + username);
}

}  // namespace ss::test
