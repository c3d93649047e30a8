#include "session_quotas.h"

#include <spdlog/spdlog.h>

#include <unordered_map>

#include "authn/verifier.h"

namespace ss::auth {
namespace {

namespace pb = streamspace::auth::v1;
namespace session = streamspace::session::v1;

}  // namespace

std::vector<core::Variable> SessionPeerVariables() {
  return {{"SESSION_ADDR", "127.0.0.1:9002",
           "The session service (host:port): the quotas on the user list."}};
}

SessionQuotas::SessionQuotas(std::shared_ptr<grpc::Channel> session, const TokenIssuer& issuer,
                             std::chrono::milliseconds deadline)
    : stub_(session::SessionService::NewStub(std::move(session))),
      issuer_(issuer),
      deadline_(deadline) {}

std::string SessionQuotas::Token() {
  const int64_t now = authn::SystemNowMs();
  std::lock_guard lock(mutex_);
  if (token_.empty() || now >= renew_at_ms_) {
    const auto issued = issuer_.ForService("auth");
    if (!issued)
      return {};
    token_ = issued->token;
    renew_at_ms_ = now + (issued->expires_at_ms - now) * 2 / 3;
  }
  return token_;
}

void SessionQuotas::Report(const grpc::Status& status) {
  std::lock_guard lock(mutex_);
  if (status.ok()) {
    if (failing_)
      spdlog::info("the session service answers quotas again");
    failing_ = false;
    return;
  }
  if (!failing_) {
    spdlog::warn("user list without quotas: the session service answered {} ({})",
                 static_cast<int>(status.error_code()), status.error_message());
  }
  failing_ = true;
}

void SessionQuotas::Fill(google::protobuf::RepeatedPtrField<pb::User>* users) {
  if (users->empty())
    return;
  const std::string token = Token();
  if (token.empty()) {
    Report(grpc::Status(grpc::StatusCode::UNAVAILABLE, "no signing key to sign a service token"));
    return;
  }
  session::GetUserQuotasRequest request;
  for (const pb::User& user : *users)
    request.add_user_ids(user.id());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  context.AddMetadata("authorization", "Bearer " + token);
  session::GetUserQuotasResponse response;
  const grpc::Status status = stub_->GetUserQuotas(&context, request, &response);
  Report(status);
  if (!status.ok())
    return;
  std::unordered_map<std::string, session::UserQuota*> by_id;
  for (session::UserQuota& quota : *response.mutable_quotas())
    by_id.emplace(quota.user_id(), &quota);
  for (pb::User& user : *users) {
    if (const auto found = by_id.find(user.id()); found != by_id.end())
      *user.mutable_quota() = std::move(*found->second);
  }
}

}  // namespace ss::auth
