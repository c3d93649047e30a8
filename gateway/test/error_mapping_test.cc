#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cors.h"
#include "edge_auth.h"
#include "error_response.h"

using namespace ss::gateway;
using grpc::StatusCode;

TEST_CASE("backend statuses map to HTTP without internal details") {
  const auto unavailable = BackendErrorFor(
      grpc::Status(StatusCode::UNAVAILABLE, "failed to connect to all addresses; 10.0.0.3:9001"),
      "");
  CHECK(unavailable.http_status == 503);
  const auto body = nlohmann::json::parse(unavailable.body);
  CHECK(body["code"] == 14);
  CHECK(body["message"] == "service unavailable");
  CHECK(body["details"] == nlohmann::json::array());

  CHECK(BackendErrorFor(grpc::Status(StatusCode::DEADLINE_EXCEEDED, "x"), "").http_status == 504);
  const auto internal = BackendErrorFor(grpc::Status(StatusCode::UNKNOWN, "stack trace"), "");
  CHECK(internal.http_status == 500);
  CHECK(nlohmann::json::parse(internal.body)["message"] == "internal error");

  const auto missing = BackendErrorFor(grpc::Status(StatusCode::NOT_FOUND, "user not found"), "");
  CHECK(missing.http_status == 404);
  CHECK(nlohmann::json::parse(missing.body)["message"] == "user not found");

  const auto throttled =
      BackendErrorFor(grpc::Status(StatusCode::RESOURCE_EXHAUSTED, "slow"), "30");
  CHECK(throttled.http_status == 429);
  CHECK(throttled.retry_after == "30");
  CHECK(BackendErrorFor(grpc::Status(StatusCode::RESOURCE_EXHAUSTED, "x"), "soon")
            .retry_after.empty());
  CHECK(BackendErrorFor(grpc::Status(StatusCode::NOT_FOUND, "x"), "30").retry_after.empty());

  const auto denied = BackendErrorFor(grpc::Status(StatusCode::UNAUTHENTICATED, "expired"), "");
  CHECK(denied.http_status == 401);
  CHECK(denied.www_authenticate);
  CHECK(BackendErrorFor(grpc::Status(StatusCode::CANCELLED, "x"), "").http_status == 499);
  CHECK(BackendErrorFor(grpc::Status(StatusCode::ALREADY_EXISTS, "x"), "").http_status == 409);
  CHECK(BackendErrorFor(grpc::Status(StatusCode::PERMISSION_DENIED, "x"), "").http_status == 403);
}

TEST_CASE("the gateway's own refusals") {
  const auto too_large =
      GatewayError(413, StatusCode::RESOURCE_EXHAUSTED, "request body too large");
  CHECK(too_large.http_status == 413);
  CHECK(nlohmann::json::parse(too_large.body)["code"] == 8);
  CHECK(nlohmann::json::parse(GatewayError(405, StatusCode::UNIMPLEMENTED, "m").body)["code"] ==
        12);
}

namespace {

class FakeVerifier final : public ss::authn::TokenVerifier {
 public:
  ss::authn::VerifyResult Verify(std::string_view token) const override {
    ss::authn::VerifyResult result;
    if (token == "admin" || token == "user" || token == "service") {
      result.claims.role = std::string(token);
    } else {
      result.error = ss::authn::TokenError::kBadSignature;
    }
    return result;
  }
};

}  // namespace

TEST_CASE("edge auth: access levels against roles") {
  namespace api = streamspace::api::v1;
  const EdgeAuth edge(std::make_shared<FakeVerifier>());
  CHECK(edge.Check(api::PUBLIC, "").ok());
  CHECK(edge.Check(api::PUBLIC, "Bearer junk").ok());
  CHECK(edge.Check(api::USER, "").error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(edge.Check(api::USER, "Basic dXNlcg==").error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(edge.Check(api::USER, "Bearer junk").error_code() == StatusCode::UNAUTHENTICATED);
  CHECK(edge.Check(api::USER, "Bearer user").ok());
  CHECK(edge.Check(api::USER, "bearer admin").ok());
  // USER admits the platform's own service identity (options.proto).
  CHECK(edge.Check(api::USER, "Bearer service").ok());
  CHECK(edge.Check(api::ADMIN, "Bearer user").error_code() == StatusCode::PERMISSION_DENIED);
  CHECK(edge.Check(api::ADMIN, "Bearer admin").ok());
  CHECK(edge.Check(api::SERVICE, "Bearer admin").error_code() == StatusCode::PERMISSION_DENIED);
  CHECK(edge.Check(api::SERVICE, "Bearer service").ok());
  CHECK(BearerToken("Bearer  abc ") == "abc");
  CHECK(BearerToken("Bearer a b").empty());
  CHECK(BearerToken("Bearer").empty());
}

TEST_CASE("CORS origins") {
  const CorsPolicy none("");
  CHECK_FALSE(none.enabled());
  CHECK(none.AllowOrigin("https://a.example").empty());
  const CorsPolicy listed("https://a.example, https://b.example/");
  CHECK(listed.AllowOrigin("https://a.example") == "https://a.example");
  CHECK(listed.AllowOrigin("https://B.example") == "https://B.example");
  CHECK(listed.AllowOrigin("https://c.example").empty());
  CHECK(listed.varies_by_origin());
  const CorsPolicy any("*");
  CHECK(any.AllowOrigin("https://c.example") == "*");
  CHECK(any.AllowOrigin("").empty());
  CHECK(CorsPolicy::ValidHeaderList("authorization, content-type"));
}

TEST_CASE("WebSocket upgrades: the gateway's own origin, listed ones, * without the cookie") {
  const CorsPolicy none("");
  CHECK(none.AllowsUpgrade("http://localhost:8000", "localhost:8000", true));
  CHECK(none.AllowsUpgrade("HTTPS://LocalHost:8000", "localhost:8000", true));
  CHECK_FALSE(none.AllowsUpgrade("http://localhost:8001", "localhost:8000", false));
  CHECK_FALSE(none.AllowsUpgrade("http://evil.example", "", false));
  CHECK_FALSE(none.AllowsUpgrade("null", "localhost:8000", false));
  const CorsPolicy listed("http://localhost:5173");
  CHECK(listed.AllowsUpgrade("http://localhost:5173", "localhost:8000", true));
  CHECK_FALSE(listed.AllowsUpgrade("http://localhost:5174", "localhost:8000", false));
  const CorsPolicy any("*");
  CHECK(any.AllowsUpgrade("http://elsewhere.example", "localhost:8000", false));
  CHECK_FALSE(any.AllowsUpgrade("http://elsewhere.example", "localhost:8000", true));
  CHECK_FALSE(CorsPolicy::ValidHeaderList("a\r\nb"));
}
