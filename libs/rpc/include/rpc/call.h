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
#include <vector>

#include "authn/token.h"
#include "core/log.h"
#include "streamspace/api/v1/options.pb.h"
#include "streamspace/auth/v1/auth.pb.h"

namespace ss::rpc {

struct Principal {
  std::string user_id;
  std::string username;
  std::string role;
  std::string session_id;
  // Set when the caller used an API token: its id and scopes (the role is its owner's). The {}
  // let aggregate initializers leave them out under -Wextra.
  std::string token_id{};
  std::vector<std::string> scopes{};
  // When the token was issued (ms since the epoch): a renewal checks it against revocations.
  int64_t issued_at_ms{0};
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

// What one method declares in proto/ (options.proto), resolved once: who may call it, the area
// its API-token scope names, whether it reads or changes, and the request fields that name the
// object it acts on (for the audit log).
struct MethodPolicy {
  std::string name;
  streamspace::api::v1::Access access = streamspace::api::v1::ACCESS_UNSPECIFIED;
  streamspace::api::v1::Area area = streamspace::api::v1::AREA_UNSPECIFIED;
  // READ, CHANGE or KEEPALIVE (never EFFECT_UNSPECIFIED: a `get` route reads, others change).
  streamspace::api::v1::Effect effect = streamspace::api::v1::READ;
  // Field paths: the variables of the method's HTTP path, else its top-level `id`, `name`,
  // `username`, `template` or `user` fields. Never a secret.
  std::vector<std::string> object_fields;
};

// Throws std::logic_error when the method declares no access level, or is open to users (USER,
// OPERATOR, ADMIN) without an area.
MethodPolicy PolicyOf(const google::protobuf::MethodDescriptor& method);

// The scope that a call of a method of this area and effect needs: "sessions:read" or
// "sessions:write".
std::string RequiredScope(streamspace::api::v1::Area area, streamspace::api::v1::Effect effect);
// Whether an API token with these scopes may call such a method (write includes read; the ACCOUNT
// area is never granted).
bool ScopeAllows(streamspace::api::v1::Area area, streamspace::api::v1::Effect effect,
                 const std::vector<std::string>& scopes);
// Whether a token may be given this scope: "<area>:read" or "<area>:write" for an area a token
// can hold.
bool GrantableScope(std::string_view scope);

// "name=alice-firefox-1a2b3c4d": the request's object fields that are set, for the audit log.
std::string AuditObject(const MethodPolicy& policy, const google::protobuf::Message& request);

class Auditor;
class Call;

// A change in progress, recorded before it is made (Begin) and completed with its outcome.
class AuditRecord {
 public:
  AuditRecord() = default;
  AuditRecord(std::shared_ptr<Auditor> auditor,
              std::unique_ptr<streamspace::auth::v1::AuditEvent> event)
      : auditor_(std::move(auditor)), event_(std::move(event)) {}
  // Sends the outcome (queued: it does not hold the answer).
  void Finish(const grpc::Status& status);

 private:
  std::shared_ptr<Auditor> auditor_;
  std::unique_ptr<streamspace::auth::v1::AuditEvent> event_;
};

// The policy of every method of one service, read once from its descriptor, and the audit log
// that its changes are recorded in.
class AccessGuard {
 public:
  // Throws std::logic_error if a method's policy is incomplete (PolicyOf). Without an auditor
  // nothing is recorded (unit tests only: every service passes one).
  AccessGuard(const google::protobuf::ServiceDescriptor& service,
              std::shared_ptr<const authn::TokenVerifier> verifier,
              std::shared_ptr<Auditor> auditor = nullptr);

  // The policy of a method of this service, or null.
  const MethodPolicy* Find(std::string_view method) const;

  // OK with the caller filled in, or UNAUTHENTICATED / PERMISSION_DENIED (also for an API token
  // outside its scopes: the caller is then filled in all the same).
  grpc::Status Check(const grpc::ServerContextBase& context, std::string_view method,
                     Principal* principal) const;

  // A refused call: an API token's refusal (outside its scopes, or its owner's role) is
  // recorded. Returns the call's status.
  grpc::Status Refused(const Call& call, const google::protobuf::Message& request) const;
  // Records a change before it is made: UNAVAILABLE when the record cannot be written (the change
  // must then not be made). Reads, keep-alives and the services' own calls record nothing.
  grpc::Status BeginAudit(const Call& call, const google::protobuf::Message& request,
                          AuditRecord* record) const;

 private:
  std::unique_ptr<streamspace::auth::v1::AuditEvent> EventFor(
      const Call& call, const google::protobuf::Message& request) const;

  std::string service_;
  std::map<std::string, MethodPolicy, std::less<>> policies_;
  std::shared_ptr<const authn::TokenVerifier> verifier_;
  std::shared_ptr<Auditor> auditor_;
};

// One handler invocation, made by rpc::Handle (rpc/handler.h) before it runs the handler's body:
// the caller checked against the method's access level, the request id of the call kept on the
// thread's log lines until it ends.
class Call {
 public:
  // The method's policy (its access level, area, effect), or null for an unknown method.
  const MethodPolicy* policy() const { return policy_; }
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
  const MethodPolicy* policy_ = nullptr;
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
