#include "validation.h"

#include "rpc/page_token.h"
#include "rpc/validation.h"

namespace ss::auth {
namespace {

using rpc::Invalid;

}  // namespace

bool IsPrintableUtf8(std::string_view text, bool line_breaks) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const bool allowed_break = line_breaks && (c == '\n' || c == '\r' || c == '\t');
      if ((c < 0x20 && !allowed_break) || c == 0x7f)
        return false;
      ++i;
      continue;
    }
    int length = 0;
    uint32_t code = 0;
    if ((c & 0xe0) == 0xc0) {
      length = 2;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size())
      return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80)
        return false;
      code = (code << 6) | (next & 0x3f);
    }
    const uint32_t min_code[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < min_code[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ||
        (code >= 0x80 && code < 0xa0)) {
      return false;
    }
    i += length;
  }
  return true;
}

grpc::Status CheckUsername(std::string_view username) {
  if (!rpc::NormalizeUsername(username)) {
    return Invalid("username must be 1-32 characters of a-z, 0-9, '.', '_' and '-'");
  }
  return grpc::Status::OK;
}

grpc::Status CheckNewPassword(std::string_view password) {
  if (password.size() < kMinPassword)
    return Invalid("password must be at least 12 characters");
  if (password.size() > kMaxPassword)
    return Invalid("password must be at most 1024 characters");
  return grpc::Status::OK;
}

grpc::Status CheckPresentedPassword(std::string_view password) {
  if (password.empty())
    return Invalid("password is required");
  if (password.size() > kMaxPassword)
    return Invalid("password must be at most 1024 characters");
  return grpc::Status::OK;
}

grpc::Status CheckEmail(std::string_view email) {
  if (email.empty())
    return grpc::Status::OK;
  if (email.size() > kMaxEmail)
    return Invalid("email must be at most 254 characters");
  const std::size_t at = email.find('@');
  const bool shaped =
      at != std::string_view::npos && at > 0 && email.find('@', at + 1) == std::string_view::npos;
  const std::string_view domain = shaped ? email.substr(at + 1) : std::string_view();
  const std::size_t dot = domain.find('.');
  if (!shaped || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      !IsPrintableUtf8(email) || email.find(' ') != std::string_view::npos) {
    return Invalid("email is not a valid address");
  }
  return grpc::Status::OK;
}

grpc::Status CheckFullName(std::string_view full_name) {
  if (full_name.size() > kMaxFullName) {
    return Invalid("fullName must be at most 128 characters");
  }
  if (!IsPrintableUtf8(full_name)) {
    return Invalid("fullName must be UTF-8 text without control characters");
  }
  return grpc::Status::OK;
}

grpc::Status CheckRole(std::string_view role) {
  if (role != "admin" && role != "operator" && role != "user")
    return Invalid("role must be user, operator or admin");
  return grpc::Status::OK;
}

grpc::Status CheckProvider(std::string_view provider) {
  if (provider != "local" && provider != "saml" && provider != "oidc")
    return Invalid("provider must be local, saml or oidc");
  return grpc::Status::OK;
}

grpc::Status CheckUserId(std::string_view id) {
  if (!rpc::IsUuid(id))
    return Invalid("id must be a UUID");
  return grpc::Status::OK;
}

bool IsServiceName(std::string_view name) {
  if (name.empty() || name.size() > 64)
    return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  }
  return true;
}

std::string EncodePageToken(std::string_view last_username) {
  return rpc::EncodePageToken({std::string(last_username)});
}

bool DecodePageToken(std::string_view token, std::string* last_username) {
  last_username->clear();
  const auto cursor = rpc::DecodePageToken(token, 1);
  if (!cursor || cursor->empty())
    return cursor.has_value();
  *last_username = cursor->front();
  const auto normal = rpc::NormalizeUsername(*last_username);
  return normal && *normal == *last_username;
}

}  // namespace ss::auth
