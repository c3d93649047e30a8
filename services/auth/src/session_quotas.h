// The quotas on auth's user list (issue 16), from the session service's GetUserQuotas. auth is
// the token issuer, so it signs its own `service` token instead of asking itself for one. The
// list must answer without them: a failed or slow call (deadline ~1 s) leaves them out and says
// so in one warning until the session service answers again.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.h"
#include "streamspace/auth/v1/auth.pb.h"
#include "streamspace/session/v1/session.grpc.pb.h"
#include "token_issuer.h"

namespace ss::auth {

// SESSION_ADDR: where the session service is reached.
std::vector<core::Variable> SessionPeerVariables();

class UserQuotas {
 public:
  virtual ~UserQuotas() = default;
  // Sets `quota` on each of `users` that the session service knows; on failure, on none.
  virtual void Fill(google::protobuf::RepeatedPtrField<streamspace::auth::v1::User>* users) = 0;
};

class SessionQuotas final : public UserQuotas {
 public:
  SessionQuotas(std::shared_ptr<grpc::Channel> session, const TokenIssuer& issuer,
                std::chrono::milliseconds deadline);

  void Fill(google::protobuf::RepeatedPtrField<streamspace::auth::v1::User>* users) override;

 private:
  // A `service` token of auth's own, signed again when less than a third of its life is left;
  // empty when there is no signing key.
  std::string Token();
  void Report(const grpc::Status& status);

  std::unique_ptr<streamspace::session::v1::SessionService::Stub> stub_;
  const TokenIssuer& issuer_;
  const std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::string token_;
  int64_t renew_at_ms_ = 0;
  bool failing_ = false;
};

}  // namespace ss::auth
