#include "rpc/page_token.h"

#include <nlohmann/json.hpp>

#include "authn/encoding.h"

namespace ss::rpc {
namespace {

constexpr int kVersion = 1;
constexpr std::size_t kMaxToken = 1024;

}  // namespace

std::string EncodePageToken(const PageCursor& cursor) {
  nlohmann::json payload = nlohmann::json::array({kVersion});
  for (const std::string& value : cursor)
    payload.push_back(value);
  // Bytes that are not UTF-8 become U+FFFD rather than an exception; such a value then fails the
  // list's own check when it comes back.
  return authn::Base64UrlEncode(
      payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<PageCursor> DecodePageToken(std::string_view token, std::size_t values) {
  if (token.empty())
    return PageCursor{};
  std::string text;
  if (token.size() > kMaxToken || !authn::Base64UrlDecode(token, &text))
    return std::nullopt;
  const nlohmann::json payload = nlohmann::json::parse(text, nullptr, false);
  if (!payload.is_array() || payload.size() != values + 1 || payload[0] != kVersion)
    return std::nullopt;
  PageCursor cursor;
  for (std::size_t i = 1; i < payload.size(); ++i) {
    if (!payload[i].is_string())
      return std::nullopt;
    cursor.push_back(payload[i].get<std::string>());
  }
  return cursor;
}

grpc::Status InvalidPageToken() {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "pageToken is not valid");
}

}  // namespace ss::rpc
