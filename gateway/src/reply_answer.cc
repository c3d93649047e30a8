#include "reply_answer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <memory>

#include "core/rfc3339.h"
#include "transcoder.h"

namespace ss::gateway {
namespace {

namespace http = boost::beast::http;
namespace pb = google::protobuf;

// A page's fetch, not a navigation: Accept names application/json and not text/html.
bool AcceptsJsonOnly(const HttpRequest& request) {
  bool json = false;
  bool html = false;
  ForEachHeaderItem(request, http::field::accept, ',', [&](std::string_view item) {
    json = json || IsMediaType(item, "application/json");
    html = html || IsMediaType(item, "text/html");
    return false;
  });
  return json && !html;
}

// A header value must not break the header block (a CR or LF would start a header of its own).
bool HeaderSafe(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) != 0x7f;
  });
}

// The endpoint's session_cookie action.
void ApplyCookie(const Endpoint& endpoint, const pb::Message& message, const HttpRequest& request,
                 const CookieSettings& settings, HttpResponse& response) {
  const auto& cookie = endpoint.cookie;
  if (cookie.clear) {
    response.set(http::field::set_cookie, SetCookieValue(settings, request, "", {}));
    return;
  }
  const auto* reflection = message.GetReflection();
  const auto token = reflection->GetString(message, cookie.token);
  if (token.empty())
    return;
  std::optional<std::chrono::system_clock::time_point> expires;
  if (cookie.expires != nullptr)
    expires = core::ParseRfc3339(reflection->GetString(message, cookie.expires));
  response.set(http::field::set_cookie, SetCookieValue(settings, request, token, expires));
}

}  // namespace

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.result(static_cast<unsigned>(status));
  if (status == 499)
    response.reason("Client Closed Request");
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

bool IsMediaType(std::string_view value, std::string_view type) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  return boost::algorithm::iequals(value, type);
}

grpc::Status AnswerReply(const Endpoint& endpoint, const std::string& reply,
                         const HttpRequest& request, const CookieSettings& cookie,
                         HttpResponse* response) {
  const grpc::Status malformed(grpc::StatusCode::INTERNAL, "malformed response");
  const auto& redirect = endpoint.redirect;
  const auto& raw = endpoint.raw_response;
  std::unique_ptr<pb::Message> message;
  if (redirect.location != nullptr || raw.body != nullptr || endpoint.cookie.any()) {
    message.reset(endpoint.response_prototype->New());
    if (!message->ParseFromString(reply))
      return malformed;
  }
  std::string location;
  if (redirect.location != nullptr && !(redirect.json_when_accepted && AcceptsJsonOnly(request)))
    location = message->GetReflection()->GetString(*message, redirect.location);
  if (!HeaderSafe(location)) {
    spdlog::error("{}: a location with control characters", endpoint.rpc_name);
    return malformed;
  }
  if (!location.empty()) {
    // No body: a token of the response reaches the browser only in the cookie.
    response->result(redirect.status);
    response->set(http::field::location, location);
    response->set(http::field::cache_control, "no-store");
  } else if (raw.body != nullptr) {
    response->result(http::status::ok);
    response->set(http::field::content_type, raw.content_type);
    response->set("X-Content-Type-Options", "nosniff");
    response->body() = message->GetReflection()->GetString(*message, raw.body);
  } else {
    std::string json;
    const auto status = ResponseToJson(endpoint, reply, &json);
    if (!status.ok())
      return status;
    *response = JsonResponse(200, std::move(json));
  }
  if (endpoint.cookie.any())
    ApplyCookie(endpoint, *message, request, cookie, *response);
  return grpc::Status::OK;
}

}  // namespace ss::gateway
