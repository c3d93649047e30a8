// The one authorization check that every gRPC handler makes first (gRPC 1.51's server
// interceptors cannot end a call). It reads the method's declared access level from the proto,
// verifies the bearer token from the `authorization` metadata, and scopes the request id.
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "authn/token.h"
#include "core/log.h"
#include "streamspace/api/v1/options.pb.h"

namespace ss::rpc {

struct Principal {
  std::string user_id;
  std::string username;
  std::string role;
  std::string session_id;
  bool admin() const { return role == "admin"; }
  // Reads everything and manages sessions and templates, not users or nodes.
  bool operator_role() const { return role == "operator"; }
  bool service() const { return role == "service"; }
  // Reaches every user's sessions and connections: admins, operators, and the platform's own
  // background work.
  bool privileged() const { return admin() || operator_role() || service(); }
  // Nobody signed in (a public method called without a token).
  bool anonymous() const { return role.empty(); }
};

// Whether a verified token of `role` may call a method of access level `access` (public methods:
// anyone). The gateway and every service decide with this one rule.
bool RoleAllowed(streamspace::api::v1::Access access, std::string_view role);

// The access level of every method of one service, read once from its descriptor.
class AccessGuard {
 public:
  // Throws std::logic_error if a method has no declared access level.
  AccessGuard(const google::protobuf::ServiceDescriptor& service,
              std::shared_ptr<const authn::TokenVerifier> verifier);

  // OK with the caller filled in, or UNAUTHENTICATED / PERMISSION_DENIED.
  grpc::Status Check(const grpc::ServerContextBase& context, std::string_view method,
                     Principal* principal) const;

 private:
  std::map<std::string, streamspace::api::v1::Access, std::less<>> access_;
  std::shared_ptr<const authn::TokenVerifier> verifier_;
};

// One handler invocation, made by rpc::Handle (rpc/handler.h) before it runs the handler's body:
// the caller checked against the method's access level, the request id of the call kept on the
// thread's log lines until it ends.
class Call {
 public:
  Call(const grpc::ServerContextBase& context, const AccessGuard& guard, std::string_view method);
  bool ok() const { return status_.ok(); }
  const grpc::Status& status() const { return status_; }
  const Principal& principal() const { return principal_; }
  // The RPC's name ("GetMe").
  std::string_view method() const { return method_; }
  // The client's address as the gateway saw it (x-client-address), else the gRPC peer.
  const std::string& client_address() const { return client_address_; }

 private:
  core::RequestIdScope request_id_;
  std::string_view method_;
  Principal principal_;
  grpc::Status status_;
  std::string client_address_;
};

// The loop condition of a long-lived server stream: false once the client has gone or the process
// is stopping (SIGTERM), so that a stream ends at once instead of holding the drain to its timeout.
bool StreamOpen(const grpc::ServerContextBase& context);
// How such a stream ends: UNAVAILABLE ("subscribe again") when the process is stopping, else
// CANCELLED.
grpc::Status StreamEnded();

}  // namespace ss::rpc
