#include "rpc/call.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/shutdown.h"
#include "core/text.h"
#include "google/api/annotations.pb.h"
#include "rpc/audit.h"
#include "rpc/detail/access.h"
#include "rpc/handler.h"

namespace ss::rpc {
namespace detail {
namespace {

using streamspace::api::v1::Access;

constexpr size_t kMaxRequestIdLength = 64;

std::string_view View(grpc::string_ref ref) {
  return {ref.data(), ref.size()};
}

// The value of a metadata key, or nothing; metadata keys arrive lower-case.
std::optional<std::string_view> Find(const Metadata& metadata, std::string_view key) {
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end())
    return std::nullopt;
  return View(it->second);
}

// The token of "Bearer <token>" (scheme case-insensitive), or an error.
authn::TokenError BearerToken(const Metadata& metadata, std::string_view* token) {
  const auto header = Find(metadata, "authorization");
  if (!header)
    return authn::TokenError::kMissing;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), header->begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return authn::TokenError::kMalformed;
  }
  std::string_view value = header->substr(kScheme.size());
  value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
  if (value.empty())
    return authn::TokenError::kMissing;
  *token = value;
  return authn::TokenError::kNone;
}

}  // namespace

grpc::Status Authorize(Access access, const Metadata& metadata,
                       const authn::TokenVerifier& verifier, Principal* principal) {
  *principal = Principal{};
  std::string_view token;
  authn::TokenError error = BearerToken(metadata, &token);
  authn::VerifyResult verified;
  if (error == authn::TokenError::kNone) {
    verified = verifier.Verify(token);
    error = verified.error;
  }
  if (error != authn::TokenError::kNone) {
    // A public method works for anyone; a bad token there only means an anonymous caller.
    if (access == streamspace::api::v1::PUBLIC)
      return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(authn::Describe(error)));
  }
  if (!RoleAllowed(access, verified.claims.role)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        fmt::format("this method is not open to role {}", verified.claims.role));
  }
  principal->user_id = std::move(verified.claims.subject);
  principal->username = std::move(verified.claims.username);
  principal->role = std::move(verified.claims.role);
  principal->session_id = std::move(verified.claims.session_id);
  principal->token_id = std::move(verified.claims.token_id);
  principal->scopes = std::move(verified.claims.scopes);
  principal->issued_at_ms = verified.claims.issued_at_ms;
  return grpc::Status::OK;
}

std::string RequestIdFrom(const Metadata& metadata) {
  const auto given = Find(metadata, "x-request-id");
  const auto allowed = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  };
  if (given && !given->empty() && given->size() <= kMaxRequestIdLength &&
      std::all_of(given->begin(), given->end(), allowed)) {
    return std::string(*given);
  }
  return core::NewRequestId();
}

std::string ClientAddressFrom(const Metadata& metadata, std::string_view peer) {
  const auto forwarded = Find(metadata, "x-client-address");
  return std::string(forwarded && !forwarded->empty() ? *forwarded : peer);
}

}  // namespace detail

bool RoleAllowed(streamspace::api::v1::Access access, std::string_view role) {
  switch (access) {
    case streamspace::api::v1::PUBLIC:
      return true;
    case streamspace::api::v1::USER:
      return role == "user" || role == "operator" || role == "admin" || role == "service";
    case streamspace::api::v1::OPERATOR:
      return role == "operator" || role == "admin";
    case streamspace::api::v1::ADMIN:
      return role == "admin";
    case streamspace::api::v1::SERVICE:
      return role == "service";
    default:
      return false;
  }
}

namespace {

using streamspace::api::v1::Area;
using streamspace::api::v1::Effect;

// The variables of an HTTP path template: "name" of "/api/v1/sessions/{name}", "key" of
// "{key=**}".
std::vector<std::string> PathVariables(std::string_view path) {
  std::vector<std::string> variables;
  for (size_t open = path.find('{'); open != std::string_view::npos;
       open = path.find('{', open + 1)) {
    const size_t close = path.find('}', open);
    if (close == std::string_view::npos)
      break;
    const std::string_view variable = path.substr(open + 1, close - open - 1);
    variables.emplace_back(variable.substr(0, variable.find('=')));
  }
  return variables;
}

// The path and whether the rule is a `get`.
std::pair<std::string_view, bool> RoutePath(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return {rule.get(), true};
    case google::api::HttpRule::kPost:
      return {rule.post(), false};
    case google::api::HttpRule::kPut:
      return {rule.put(), false};
    case google::api::HttpRule::kPatch:
      return {rule.patch(), false};
    case google::api::HttpRule::kDelete:
      return {rule.delete_(), false};
    case google::api::HttpRule::kCustom:
      return {rule.custom().path(), false};
    default:
      return {{}, false};
  }
}

std::string AreaName(Area area) {
  return core::AsciiLower(streamspace::api::v1::Area_Name(area));
}

// The text of a scalar field, for the audit object; empty when unset.
std::string FieldText(const google::protobuf::Message& message,
                      const google::protobuf::FieldDescriptor& field) {
  const auto* reflection = message.GetReflection();
  using google::protobuf::FieldDescriptor;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(message, &field);
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t value = reflection->GetInt32(message, &field);
      return value != 0 ? std::to_string(value) : std::string();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t value = reflection->GetInt64(message, &field);
      return value != 0 ? std::to_string(value) : std::string();
    }
    default:
      return {};
  }
}

}  // namespace

MethodPolicy PolicyOf(const google::protobuf::MethodDescriptor& method) {
  namespace api = streamspace::api::v1;
  MethodPolicy policy;
  policy.name = method.name();
  const auto& options = method.options();
  policy.access = options.GetExtension(api::access);
  if (policy.access == api::ACCESS_UNSPECIFIED) {
    throw std::logic_error(
        fmt::format("{} declares no (streamspace.api.v1.access)", method.full_name()));
  }
  policy.area = options.GetExtension(api::area);
  const bool open_to_users =
      policy.access == api::USER || policy.access == api::OPERATOR || policy.access == api::ADMIN;
  if (open_to_users && policy.area == api::AREA_UNSPECIFIED) {
    throw std::logic_error(
        fmt::format("{} declares no (streamspace.api.v1.area)", method.full_name()));
  }
  const auto [path, get] = options.HasExtension(google::api::http)
                               ? RoutePath(options.GetExtension(google::api::http))
                               : std::pair<std::string_view, bool>{};
  policy.effect = options.GetExtension(api::effect);
  if (policy.effect == api::EFFECT_UNSPECIFIED)
    policy.effect = get ? api::READ : api::CHANGE;
  policy.object_fields = PathVariables(path);
  if (policy.object_fields.empty()) {
    for (const char* name : {"id", "name", "username", "template", "user"}) {
      if (method.input_type()->FindFieldByName(name) != nullptr)
        policy.object_fields.emplace_back(name);
    }
  }
  return policy;
}

std::string RequiredScope(Area area, Effect effect) {
  return AreaName(area) + (effect == streamspace::api::v1::READ ? ":read" : ":write");
}

bool ScopeAllows(Area area, Effect effect, const std::vector<std::string>& scopes) {
  if (area == streamspace::api::v1::AREA_UNSPECIFIED || area == streamspace::api::v1::ACCOUNT)
    return false;
  const std::string write = AreaName(area) + ":write";
  const std::string needed = RequiredScope(area, effect);
  return std::any_of(scopes.begin(), scopes.end(),
                     [&](const std::string& scope) { return scope == needed || scope == write; });
}

bool GrantableScope(std::string_view scope) {
  const size_t colon = scope.find(':');
  if (colon == std::string_view::npos)
    return false;
  const std::string_view kind = scope.substr(colon + 1);
  if (kind != "read" && kind != "write")
    return false;
  const auto* areas = streamspace::api::v1::Area_descriptor();
  for (int i = 0; i < areas->value_count(); ++i) {
    const auto area = static_cast<Area>(areas->value(i)->number());
    if (area != streamspace::api::v1::AREA_UNSPECIFIED && area != streamspace::api::v1::ACCOUNT &&
        AreaName(area) == scope.substr(0, colon)) {
      return true;
    }
  }
  return false;
}

std::string AuditObject(const MethodPolicy& policy, const google::protobuf::Message& request) {
  constexpr size_t kMaxValue = 200;
  std::string object;
  for (const std::string& path : policy.object_fields) {
    const google::protobuf::Message* message = &request;
    const google::protobuf::FieldDescriptor* field = nullptr;
    size_t start = 0;
    while (message != nullptr) {
      const size_t dot = path.find('.', start);
      field = message->GetDescriptor()->FindFieldByName(path.substr(start, dot - start));
      if (field == nullptr || field->is_repeated() || dot == std::string::npos)
        break;
      message = field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE
                    ? &message->GetReflection()->GetMessage(*message, field)
                    : nullptr;
      start = dot + 1;
    }
    if (message == nullptr || field == nullptr || field->is_repeated())
      continue;
    std::string value = FieldText(*message, *field);
    if (value.empty())
      continue;
    if (value.size() > kMaxValue)
      value.resize(kMaxValue);
    if (!object.empty())
      object += ' ';
    object += path + '=' + value;
  }
  return object;
}

void AuditRecord::Finish(const grpc::Status& status) {
  if (!event_)
    return;
  event_->set_outcome(status.ok() ? "ok" : "failed");
  event_->set_code(static_cast<int>(status.error_code()));
  event_->set_message(status.ok() ? std::string() : status.error_message());
  auditor_->Finish(std::move(*event_));
  event_.reset();
}

AccessGuard::AccessGuard(const google::protobuf::ServiceDescriptor& service,
                         std::shared_ptr<const authn::TokenVerifier> verifier,
                         std::shared_ptr<Auditor> auditor)
    : service_(service.options().GetExtension(streamspace::api::v1::backend)),
      verifier_(std::move(verifier)),
      auditor_(std::move(auditor)) {
  for (int i = 0; i < service.method_count(); ++i) {
    MethodPolicy policy = PolicyOf(*service.method(i));
    std::string name = policy.name;
    policies_.emplace(std::move(name), std::move(policy));
  }
}

const MethodPolicy* AccessGuard::Find(std::string_view method) const {
  const auto it = policies_.find(method);
  return it == policies_.end() ? nullptr : &it->second;
}

grpc::Status AccessGuard::Check(const grpc::ServerContextBase& context, std::string_view method,
                                Principal* principal) const {
  const MethodPolicy* policy = Find(method);
  if (policy == nullptr) {
    spdlog::error("authorization check for unknown method {}", method);
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  auto status = detail::Authorize(policy->access, context.client_metadata(), *verifier_, principal);
  if (status.ok() && !principal->token_id.empty() &&
      policy->access != streamspace::api::v1::PUBLIC &&
      !ScopeAllows(policy->area, policy->effect, principal->scopes)) {
    status = grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          policy->area == streamspace::api::v1::ACCOUNT
                              ? std::string("an API token cannot call this method; sign in instead")
                              : fmt::format("the API token's scopes do not include {}",
                                            RequiredScope(policy->area, policy->effect)));
  }
  if (!status.ok())
    spdlog::debug("{} refused: {}", method, status.error_message());
  return status;
}

std::unique_ptr<streamspace::auth::v1::AuditEvent> AccessGuard::EventFor(
    const Call& call, const google::protobuf::Message& request) const {
  return std::make_unique<streamspace::auth::v1::AuditEvent>(
      NewAuditEvent(service_, call.method(), call.principal(),
                    call.policy() != nullptr ? AuditObject(*call.policy(), request) : std::string(),
                    call.client_address()));
}

grpc::Status AccessGuard::Refused(const Call& call,
                                  const google::protobuf::Message& request) const {
  if (auditor_ && !call.principal().token_id.empty()) {
    AuditRecord(auditor_, EventFor(call, request)).Finish(call.status());
  }
  return call.status();
}

grpc::Status AccessGuard::BeginAudit(const Call& call, const google::protobuf::Message& request,
                                     AuditRecord* record) const {
  const MethodPolicy* policy = call.policy();
  if (!auditor_ || policy == nullptr || policy->effect != streamspace::api::v1::CHANGE ||
      call.principal().service()) {
    return grpc::Status::OK;
  }
  auto event = EventFor(call, request);
  event->set_outcome("pending");
  if (const grpc::Status status = auditor_->Begin(*event); !status.ok()) {
    spdlog::error("{}: the audit record cannot be written ({}); nothing is changed", call.method(),
                  status.error_message());
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "audit log unavailable");
  }
  *record = AuditRecord(auditor_, std::move(event));
  return grpc::Status::OK;
}

Call::Call(const grpc::ServerContextBase& context, const AccessGuard& guard,
           std::string_view method)
    : request_id_(detail::RequestIdFrom(context.client_metadata())),
      method_(method),
      policy_(guard.Find(method)),
      status_(guard.Check(context, method, &principal_)),
      client_address_(detail::ClientAddressFrom(context.client_metadata(), context.peer())) {}

std::string_view MethodName(const std::source_location& where) {
  std::string_view name = where.function_name();
  name = name.substr(0, name.find('('));
  if (const size_t scope = name.rfind("::"); scope != std::string_view::npos)
    name.remove_prefix(scope + 2);
  return name;
}

bool StreamOpen(const grpc::ServerContextBase& context) {
  return !context.IsCancelled() && !core::ShutdownRequested();
}

grpc::Status StreamEnded() {
  if (core::ShutdownRequested())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the service is stopping; subscribe again");
  return grpc::Status(grpc::StatusCode::CANCELLED, "the stream was cancelled");
}

}  // namespace ss::rpc
