#include "core/errors.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using grpc::StatusCode;
using ss::core::ErrorBody;
using ss::core::HttpStatusFor;

TEST_CASE("every gRPC code maps to the HTTP status of DESIGN.md") {
  CHECK(HttpStatusFor(StatusCode::OK) == 200);
  CHECK(HttpStatusFor(StatusCode::INVALID_ARGUMENT) == 400);
  CHECK(HttpStatusFor(StatusCode::FAILED_PRECONDITION) == 400);
  CHECK(HttpStatusFor(StatusCode::OUT_OF_RANGE) == 400);
  CHECK(HttpStatusFor(StatusCode::UNAUTHENTICATED) == 401);
  CHECK(HttpStatusFor(StatusCode::PERMISSION_DENIED) == 403);
  CHECK(HttpStatusFor(StatusCode::NOT_FOUND) == 404);
  CHECK(HttpStatusFor(StatusCode::ALREADY_EXISTS) == 409);
  CHECK(HttpStatusFor(StatusCode::ABORTED) == 409);
  CHECK(HttpStatusFor(StatusCode::RESOURCE_EXHAUSTED) == 429);
  CHECK(HttpStatusFor(StatusCode::CANCELLED) == 499);
  CHECK(HttpStatusFor(StatusCode::UNIMPLEMENTED) == 501);
  CHECK(HttpStatusFor(StatusCode::UNAVAILABLE) == 503);
  CHECK(HttpStatusFor(StatusCode::DEADLINE_EXCEEDED) == 504);
  CHECK(HttpStatusFor(StatusCode::UNKNOWN) == 500);
  CHECK(HttpStatusFor(StatusCode::INTERNAL) == 500);
  CHECK(HttpStatusFor(StatusCode::DATA_LOSS) == 500);
}

TEST_CASE("ErrorBody is the google.rpc.Status JSON") {
  CHECK(ErrorBody(StatusCode::NOT_FOUND, "no such route") ==
        R"({"code":5,"message":"no such route","details":[]})");
}

TEST_CASE("ErrorBody escapes quotes, backslashes and control characters") {
  const std::string message = "say \"hi\"\\ \n\t\r\b\f \x01\x1f end";
  const std::string body = ErrorBody(StatusCode::INVALID_ARGUMENT, message);
  CHECK_THAT(body, Catch::Contains(R"(say \"hi\"\\ \n\t\r\b\f \u0001\u001f end)"));
  const auto parsed = nlohmann::json::parse(body);
  CHECK(parsed["code"] == 3);
  CHECK(parsed["message"] == message);
  CHECK(parsed["details"].empty());
}

TEST_CASE("ErrorBody keeps valid UTF-8 and replaces invalid bytes") {
  CHECK(nlohmann::json::parse(ErrorBody(StatusCode::INTERNAL,
                                        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"))["message"] ==
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, past U+10FFFF.
  for (const std::string bad :
       {"\x80", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff"}) {
    const std::string body = ErrorBody(StatusCode::INTERNAL, "a" + bad + "b");
    INFO(body);
    const auto parsed = nlohmann::json::parse(body);
    const std::string text = parsed["message"];
    CHECK(text.front() == 'a');
    CHECK(text.back() == 'b');
    CHECK_THAT(text, Catch::Contains("\xef\xbf\xbd"));
  }
}
