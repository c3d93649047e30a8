// The HTTP answer to a backend's OK reply, shaped by the endpoint's options: the JSON of the
// response (or of its response_body field), a redirect, or the bytes of one field; with the
// sign-in cookie that session_cookie sets or clears.
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "endpoint.h"
#include "http_server.h"
#include "session_cookie.h"

namespace ss::gateway {

// An answer with a JSON body.
HttpResponse JsonResponse(int status, std::string body);

// Whether a Content-Type value or an Accept item names `type` (parameters aside, any case).
bool IsMediaType(std::string_view value, std::string_view type);

// The answer to `reply` (the serialized response) of `request`:
// - redirect: its status with `Location` and no body, when the location field is not empty and
//   the client is not a page's fetch that json_when_accepted sends the JSON (Accept names
//   application/json and not text/html);
// - raw_response: 200 with the field's bytes and the declared Content-Type;
// - else 200 with the JSON.
// INTERNAL for a reply that does not parse or a location no header can carry.
grpc::Status AnswerReply(const Endpoint& endpoint, const std::string& reply,
                         const HttpRequest& request, const CookieSettings& cookie,
                         HttpResponse* response);

}  // namespace ss::gateway
