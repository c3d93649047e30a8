#include "rpc/validation.h"

#include <cctype>
#include <string>

namespace ss::rpc {

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

grpc::Status NotFound(std::string message) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, std::move(message));
}

grpc::Status CheckPageSize(int requested, int* effective) {
  if (requested < 0 || requested > kMaxPageSize) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "pageSize must be between 0 (the default, " +
                            std::to_string(kDefaultPageSize) + ") and " +
                            std::to_string(kMaxPageSize));
  }
  *effective = requested == 0 ? kDefaultPageSize : requested;
  return grpc::Status::OK;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  return true;
}

std::optional<std::string> NormalizeUsername(std::string_view username) {
  if (username.empty() || username.size() > kMaxUsername)
    return std::nullopt;
  std::string normal(username);
  for (char& c : normal) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed)
      return std::nullopt;
  }
  return normal;
}

}  // namespace ss::rpc
