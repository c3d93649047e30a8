// The one entry point of every gRPC handler, of the synchronous and the callback server APIs
// alike: the handler is its logic, and Handle does the rest (the userver way). Handle checks the
// caller against the access level and, for an API token, the scope the RPC declares in proto/
// (gRPC 1.51's server interceptors cannot end a call), scopes the request id, writes the audit
// record of a change before running the body (rpc/audit.h) and its outcome after, and lets no
// exception out of the body: a dependency that cannot be reached (core::Unavailable: the
// database) answers UNAVAILABLE, anything else INTERNAL, and the log gets the first line of the
// error only. The request names the object in the audit record.
//
//   grpc::Status TrackerGrpcService::Heartbeat(grpc::ServerContext* context,
//                                              const pb::HeartbeatRequest* request,
//                                              pb::HeartbeatResponse* response) {
//     return rpc::Handle(*context, guard_, *request, [&](const rpc::Call& call) {
//       return tracker_.Heartbeat(call.principal(), *request, response);
//     });
//   }
//
// With the callback API, `return rpc::HandleUnary(context, guard_, *request, body);` answers
// through the context's default reactor. The method's name, which selects its access level, is the
// name of the handler that calls Handle: a handler overrides the generated method of the same name.
#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <source_location>
#include <string_view>

#include "core/errors.h"
#include "core/log.h"
#include "rpc/call.h"

namespace ss::rpc {

// "Heartbeat" of "virtual grpc::Status ss::tracker::TrackerGrpcService::Heartbeat(...)".
std::string_view MethodName(const std::source_location& where);

template <typename Body>
grpc::Status Handle(const grpc::ServerContextBase& context, const AccessGuard& guard,
                    const google::protobuf::Message& request, Body&& body,
                    const std::source_location where = std::source_location::current()) {
  const std::string_view method = MethodName(where);
  const Call call(context, guard, method);
  if (!call.ok())
    return guard.Refused(call, request);
  AuditRecord record;
  if (grpc::Status begun = guard.BeginAudit(call, request, &record); !begun.ok())
    return begun;
  grpc::Status status;
  try {
    status = body(call);
  } catch (const core::Unavailable& e) {
    spdlog::error("{}: {}", method, core::FirstLine(e.what()));
    status = grpc::Status(grpc::StatusCode::UNAVAILABLE, e.subject() + " unavailable");
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, core::FirstLine(e.what()));
    status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  record.Finish(status);
  return status;
}

// A unary handler of the callback API: Handle, finished on the context's default reactor.
template <typename Body>
grpc::ServerUnaryReactor* HandleUnary(
    grpc::CallbackServerContext* context, const AccessGuard& guard,
    const google::protobuf::Message& request, Body&& body,
    const std::source_location where = std::source_location::current()) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(Handle(*context, guard, request, std::forward<Body>(body), where));
  return reactor;
}

}  // namespace ss::rpc
