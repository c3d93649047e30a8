#include "validation.h"

#include <catch2/catch.hpp>
#include <limits>

namespace ss::tracker {

TEST_CASE("session ids are DNS labels") {
  CHECK(IsSessionId("alice-firefox-0a1b2c3d"));
  CHECK(IsSessionId("a"));
  CHECK(IsSessionId(std::string(63, 'a')));
  for (const std::string& id :
       {std::string(), std::string(64, 'a'), std::string("-a"), std::string("a-"),
        std::string("Alice"), std::string("a_b"), std::string("a.b"), std::string("a/b")}) {
    INFO(id);
    CHECK_FALSE(IsSessionId(id));
  }
}

TEST_CASE("connection ids are UUIDs") {
  CHECK(rpc::IsUuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
  CHECK(rpc::IsUuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
  CHECK_FALSE(rpc::IsUuid("0f8fad5b-d9cb-469f-a165-70867728950"));
  CHECK_FALSE(rpc::IsUuid("0f8fad5bd9cb469fa16570867728950e"));
  CHECK_FALSE(rpc::IsUuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
  CHECK_FALSE(rpc::IsUuid("' OR 1=1 --"));
}

TEST_CASE("user agents and addresses are clipped, never refused") {
  CHECK(Clip("Mozilla/5.0", 512) == "Mozilla/5.0");
  CHECK(Clip(std::string(600, 'x'), 512).size() == 512);
  CHECK(Clip("ab\ncd\x7f", 512) == "abcd");
  // "é" is two bytes: it is not cut in half.
  CHECK(Clip("a\xc3\xa9", 2) == "a");
  CHECK(Clip("a\xc3\xa9", 3) == "a\xc3\xa9");
  CHECK(Clip("a\xff\xc3z", 10) == "az");
}

TEST_CASE("page sizes and tokens") {
  CHECK(EffectivePageSize(0) == 50);
  CHECK(EffectivePageSize(1) == 1);
  CHECK(EffectivePageSize(500) == 500);
  CHECK_FALSE(EffectivePageSize(501).has_value());
  CHECK_FALSE(EffectivePageSize(-1).has_value());

  const ConnectionCursor cursor{1'764'194'787'123'456, "0f8fad5b-d9cb-469f-a165-70867728950e"};
  const auto decoded = DecodePageToken(EncodePageToken(cursor));
  REQUIRE(decoded.has_value());
  CHECK(decoded->connected_us == cursor.connected_us);
  CHECK(decoded->id == cursor.id);
  CHECK(DecodePageToken("")->id.empty());
  CHECK_FALSE(DecodePageToken("not a token").has_value());
  CHECK_FALSE(DecodePageToken("MTIz").has_value());
  CHECK_FALSE(DecodePageToken(EncodePageToken({12, "not-a-uuid"})).has_value());
  // Only times Postgres can hold (up to 9999-12-31T23:59:59Z), never negative.
  const std::string id = cursor.id;
  CHECK(DecodePageToken(EncodePageToken({0, id})).has_value());
  CHECK(DecodePageToken(EncodePageToken({253'402'300'799'000'000, id})).has_value());
  CHECK_FALSE(DecodePageToken(EncodePageToken({253'402'300'799'000'001, id})).has_value());
  CHECK_FALSE(
      DecodePageToken(EncodePageToken({std::numeric_limits<int64_t>::max(), id})).has_value());
  CHECK_FALSE(DecodePageToken(EncodePageToken({-1, id})).has_value());
}

}  // namespace ss::tracker
