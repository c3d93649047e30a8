// Input rules of the users API (DESIGN.md, Names and Identity). Pure functions: each returns OK
// or INVALID_ARGUMENT with a message that names the field, never its value when it is secret.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <string_view>

#include "rpc/validation.h"

namespace ss::auth {

inline constexpr std::size_t kMinPassword = 12;
inline constexpr std::size_t kMaxPassword = 1024;
inline constexpr std::size_t kMaxFullName = 128;
inline constexpr std::size_t kMaxEmail = 254;

// Well-formed UTF-8 without C0/C1 control characters or DEL; with `line_breaks`, tab, CR and LF
// are allowed (multi-line text such as a description).
bool IsPrintableUtf8(std::string_view text, bool line_breaks = false);

grpc::Status CheckUsername(std::string_view username);
// A new password: 12 to 1024 characters.
grpc::Status CheckNewPassword(std::string_view password);
// Any password presented for checking: present and at most 1024 characters.
grpc::Status CheckPresentedPassword(std::string_view password);
// Empty, or one @ with a non-empty local part and a dotted domain, no spaces or controls,
// at most 254 characters.
grpc::Status CheckEmail(std::string_view email);
// At most 128 characters (UTF-8 bytes count), valid UTF-8, no control characters.
grpc::Status CheckFullName(std::string_view full_name);
// user | operator | admin
grpc::Status CheckRole(std::string_view role);
// local | saml | oidc
grpc::Status CheckProvider(std::string_view provider);
grpc::Status CheckUserId(std::string_view id);
// Service client names: 1–64 characters of [a-z0-9-].
bool IsServiceName(std::string_view name);

// Page tokens (rpc/page_token.h) carrying the last username of a page.
std::string EncodePageToken(std::string_view last_username);
// Empty token → empty cursor. False for a token we did not make.
bool DecodePageToken(std::string_view token, std::string* last_username);

}  // namespace ss::auth
