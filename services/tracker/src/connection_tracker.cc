#include "connection_tracker.h"

#include "rpc/page_token.h"
#include "rpc/validation.h"
#include "sweep_rules.h"
#include "validation.h"

namespace ss::tracker {
namespace {

namespace pb = streamspace::tracker::v1;

using rpc::Invalid;

grpc::Status CheckSessionId(const std::string& session_id) {
  if (!IsSessionId(session_id))
    return Invalid("sessionId must be a session name (a DNS label of a-z, 0-9 and '-')");
  return grpc::Status::OK;
}

grpc::Status NotFound(const ConnectionScope& scope) {
  if (!scope.connection_id.empty()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no open connection " + scope.connection_id +
                                                         " to session " + scope.session_id);
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      "no open connection to session " + scope.session_id);
}

}  // namespace

grpc::Status ScopeFor(const rpc::Principal& caller, const std::string& session_id,
                      const std::string& connection_id, ConnectionScope* scope) {
  if (grpc::Status status = CheckSessionId(session_id); !status.ok())
    return status;
  if (!connection_id.empty() && !rpc::IsUuid(connection_id))
    return Invalid("connectionId must be a UUID (or empty for all of your connections)");
  scope->session_id = session_id;
  scope->connection_id = connection_id;
  scope->user = caller.privileged() ? "" : caller.username;
  return grpc::Status::OK;
}

grpc::Status ConnectionTracker::Record(const pb::RecordConnectionRequest& request,
                                       pb::Connection* response) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok())
    return status;
  const std::optional<std::string> user = rpc::NormalizeUsername(request.user());
  if (!user)
    return Invalid("user must be a username (1-32 characters of a-z, 0-9, '.', '_' and '-')");
  const std::optional<Millis> idle_timeout = ParseSessionDuration(request.idle_timeout());
  if (!idle_timeout)
    return Invalid("idleTimeout must be a duration between 1s and 8760h such as 30m or 1h30m");
  *response =
      store_.Record(request.session_id(), *user, Clip(request.client_address(), kMaxClientAddress),
                    Clip(request.user_agent(), kMaxUserAgent), idle_timeout->count());
  reporter_.Changed(request.session_id());
  return grpc::Status::OK;
}

grpc::Status ConnectionTracker::Heartbeat(const rpc::Principal& caller,
                                          const pb::HeartbeatRequest& request,
                                          pb::HeartbeatResponse* response) {
  ConnectionScope scope;
  if (grpc::Status status = ScopeFor(caller, request.session_id(), request.connection_id(), &scope);
      !status.ok()) {
    return status;
  }
  const HeartbeatResult result = store_.Heartbeat(scope);
  if (!result.found)
    return NotFound(scope);
  if (result.reactivated)
    reporter_.Changed(scope.session_id);
  const TimePoint now{Millis(result.now_ms)};
  response->set_idle_seconds_left(
      IdleSecondsLeft(now, stale_after_, Millis(result.idle_timeout_ms), now));
  response->set_active_connections(result.active);
  return grpc::Status::OK;
}

grpc::Status ConnectionTracker::Disconnect(const rpc::Principal& caller,
                                           const pb::DisconnectRequest& request,
                                           pb::DisconnectResponse* response) {
  ConnectionScope scope;
  if (grpc::Status status = ScopeFor(caller, request.session_id(), request.connection_id(), &scope);
      !status.ok()) {
    return status;
  }
  const DisconnectResult result = store_.Disconnect(scope);
  if (!result.found)
    return NotFound(scope);
  if (result.changed)
    reporter_.Changed(scope.session_id);
  response->set_active_connections(result.active);
  return grpc::Status::OK;
}

grpc::Status ConnectionTracker::List(const rpc::Principal& caller,
                                     const pb::ListConnectionsRequest& request,
                                     pb::ListConnectionsResponse* response) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok())
    return status;
  const std::optional<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size)
    return Invalid("pageSize must be between 1 and 500");
  const std::optional<ConnectionCursor> after = DecodePageToken(request.page_token());
  if (!after)
    return rpc::InvalidPageToken();
  const std::string user = caller.privileged() ? "" : caller.username;
  ConnectionPage page = store_.List(request.session_id(), user, *after, *page_size);
  // Without a connection of the caller's, only the session's owner gets the (empty) list: the
  // tracker does not know owners, the session service does.
  if (!caller.privileged() && page.total == 0) {
    if (grpc::Status status = CheckOwner(caller, request.session_id()); !status.ok())
      return status;
  }
  for (pb::Connection& connection : page.connections)
    *response->add_connections() = std::move(connection);
  response->set_total(page.total);
  if (page.more && response->connections_size() > 0) {
    response->set_next_page_token(EncodePageToken(
        ConnectionCursor{page.last_connected_us, response->connections().rbegin()->id()}));
  }
  return grpc::Status::OK;
}

grpc::Status ConnectionTracker::CheckOwner(const rpc::Principal& caller,
                                           const std::string& session_id) {
  const grpc::Status not_found(grpc::StatusCode::NOT_FOUND, "session " + session_id + " not found");
  streamspace::session::v1::Session session;
  const grpc::Status status = sessions_->GetSession(session_id, &session);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND)
    return not_found;
  if (!status.ok())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the session service is unavailable");
  return session.user() == caller.username ? grpc::Status::OK : not_found;
}

grpc::Status ConnectionTracker::CloseSession(const pb::CloseSessionRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok())
    return status;
  if (store_.CloseSession(request.session_id()))
    reporter_.Changed(request.session_id());
  return grpc::Status::OK;
}

}  // namespace ss::tracker
