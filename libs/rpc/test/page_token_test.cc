#include "rpc/page_token.h"

#include <catch2/catch.hpp>
#include <string>

#include "authn/encoding.h"

namespace ss::rpc {

TEST_CASE("a page token carries its cursor's values back") {
  const PageCursor keyset{"2026-11-27T01:00:00Z", "alice-firefox-0123abcd"};
  const std::string token = EncodePageToken(keyset);
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  CHECK(DecodePageToken(token, 2) == keyset);
  CHECK(DecodePageToken(EncodePageToken({"50"}), 1) == PageCursor{"50"});
  CHECK(DecodePageToken(EncodePageToken({"a\nb", "/"}), 2) == PageCursor{"a\nb", "/"});
}

TEST_CASE("the empty token is the first page") {
  const auto cursor = DecodePageToken("", 2);
  REQUIRE(cursor);
  CHECK(cursor->empty());
}

TEST_CASE("a token we did not make is refused") {
  CHECK_FALSE(DecodePageToken("!!!", 1));
  CHECK_FALSE(DecodePageToken("50", 1));
  CHECK_FALSE(DecodePageToken("bm9kZS1h", 1));  // "node-a", the format before this one
  CHECK_FALSE(DecodePageToken(authn::Base64UrlEncode(R"([2,"a"])"), 1));
  CHECK_FALSE(DecodePageToken(authn::Base64UrlEncode(R"([1,5])"), 1));
  CHECK_FALSE(DecodePageToken(authn::Base64UrlEncode(R"({"v":1})"), 0));
  CHECK_FALSE(DecodePageToken(authn::Base64UrlEncode(R"([1,"a")"), 1));
  CHECK_FALSE(DecodePageToken(EncodePageToken({"a", "b"}), 1));
  CHECK_FALSE(DecodePageToken(EncodePageToken({"a"}), 2));
  CHECK_FALSE(DecodePageToken(EncodePageToken({std::string(2000, 'a')}), 1));
}

TEST_CASE("bytes that are not UTF-8 do not throw; they come back as something else") {
  const auto cursor = DecodePageToken(EncodePageToken({"\xff"}), 1);
  REQUIRE(cursor);
  CHECK(*cursor != PageCursor{"\xff"});
}

TEST_CASE("every list answers a bad token alike") {
  const grpc::Status status = InvalidPageToken();
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "pageToken is not valid");
}

}  // namespace ss::rpc
