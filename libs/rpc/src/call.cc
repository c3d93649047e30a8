#include "rpc/call.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/shutdown.h"
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

AccessGuard::AccessGuard(const google::protobuf::ServiceDescriptor& service,
                         std::shared_ptr<const authn::TokenVerifier> verifier)
    : verifier_(std::move(verifier)) {
  for (int i = 0; i < service.method_count(); ++i) {
    const auto* method = service.method(i);
    const auto access = method->options().GetExtension(streamspace::api::v1::access);
    if (access == streamspace::api::v1::ACCESS_UNSPECIFIED) {
      throw std::logic_error(
          fmt::format("{} declares no (streamspace.api.v1.access)", method->full_name()));
    }
    access_.emplace(method->name(), access);
  }
}

grpc::Status AccessGuard::Check(const grpc::ServerContextBase& context, std::string_view method,
                                Principal* principal) const {
  const auto access = access_.find(method);
  if (access == access_.end()) {
    spdlog::error("authorization check for unknown method {}", method);
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  auto status = detail::Authorize(access->second, context.client_metadata(), *verifier_, principal);
  if (!status.ok())
    spdlog::debug("{} refused: {}", method, status.error_message());
  return status;
}

Call::Call(const grpc::ServerContextBase& context, const AccessGuard& guard,
           std::string_view method)
    : request_id_(detail::RequestIdFrom(context.client_metadata())),
      method_(method),
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
