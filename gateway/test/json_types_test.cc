#include "json_types.h"

#include <catch2/catch.hpp>

#include "streamspace/testing/v1/echo.pb.h"

using namespace ss::gateway;
namespace echo = streamspace::testing::v1;

TEST_CASE("only messages with bool fields need the check") {
  CHECK(HasBoolFields(*echo::UpdateItemRequest::descriptor()));
  CHECK(HasBoolFields(*echo::SearchRequest::descriptor()));
  CHECK_FALSE(HasBoolFields(*echo::Item::descriptor()));
  CHECK_FALSE(HasBoolFields(*echo::GetItemByIdRequest::descriptor()));
}

TEST_CASE("bool fields take true, false or null and nothing else") {
  const auto& type = *echo::UpdateItemRequest::descriptor();
  for (const char* body : {R"({"validateOnly":true})", R"({"validate_only":false})",
                           R"({"validateOnly":null})", R"({"item":{"name":"x"}})", R"({})"}) {
    INFO(body);
    CHECK(CheckBoolFields(type, body).ok());
  }
  for (const char* body : {R"({"validateOnly":"yes"})", R"({"validateOnly":"true"})",
                           R"({"validate_only":1})", R"({"validateOnly":"t"})"}) {
    INFO(body);
    const auto status = CheckBoolFields(type, body);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().find("must be true or false") != std::string::npos);
  }
}

TEST_CASE("nested and repeated messages are checked too") {
  const auto& type = *echo::SearchRequest::descriptor();
  CHECK(CheckBoolFields(type, R"({"exact":"1"})").error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(CheckBoolFields(type, R"({"archived":true})").ok());
}
