#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api_handler.h"
#include "descriptor_source.h"
#include "endpoint.h"
#include "session_cookie.h"
#include "stream_codec.h"
#include "streamspace/testing/v1/echo.pb.h"

using namespace ss::gateway;
namespace echo = streamspace::testing::v1;
using Json = nlohmann::json;

namespace {

const Endpoint& Watch() {
  static DescriptorSource source({});
  static const std::vector<Endpoint> endpoints = BuildEndpoints(source);
  for (const auto& endpoint : endpoints) {
    if (endpoint.operation_id == "EchoService.WatchItems")
      return endpoint;
  }
  throw std::logic_error("no WatchItems endpoint");
}

echo::WatchedItem Item(const std::string& id, const std::string& owner) {
  echo::WatchedItem item;
  item.set_id(id);
  item.set_owner(owner);
  item.set_version(3);
  return item;
}

}  // namespace

TEST_CASE("the token of a browser's Sec-WebSocket-Protocol offer") {
  HttpRequest request;
  auto offer = ReadProtocolOffer(request);
  CHECK_FALSE(offer.streamspace);
  CHECK(offer.token.empty());

  request.set(boost::beast::http::field::sec_websocket_protocol, "streamspace.v1, bearer.a.b-c_d");
  offer = ReadProtocolOffer(request);
  CHECK(offer.streamspace);
  CHECK(offer.token == "a.b-c_d");

  HttpRequest split;
  split.insert(boost::beast::http::field::sec_websocket_protocol, "bearer.xyz");
  split.insert(boost::beast::http::field::sec_websocket_protocol, " chat ,streamspace.v1 ");
  offer = ReadProtocolOffer(split);
  CHECK(offer.streamspace);
  CHECK(offer.token == "xyz");

  request.set(boost::beast::http::field::sec_websocket_protocol, "bearer.");
  CHECK(ReadProtocolOffer(request).token.empty());
}

TEST_CASE("stream messages decode into type, object, key and owner") {
  const StreamCodec codec(Watch());
  echo::ItemEvent event;
  event.set_type("added");
  *event.mutable_item() = Item("i1", "alice");
  StreamMessage message;
  REQUIRE(codec.Decode(event.SerializeAsString(), &message).ok());
  CHECK(message.type == "added");
  CHECK(message.has_object);
  CHECK(message.object.key == "i1");
  CHECK(message.object.owner == "alice");
  CHECK(Json::parse(*message.object.json) ==
        Json::parse(R"({"id":"i1","owner":"alice","payload":"","version":"3"})"));
  CHECK(Json::parse(*message.json) ==
        Json::parse(R"({"type":"added","item":{"id":"i1","owner":"alice","payload":"",
                        "version":"3"},"items":[],"note":""})"));

  event.Clear();
  event.set_type("warning");
  event.set_note("no object");
  REQUIRE(codec.Decode(event.SerializeAsString(), &message).ok());
  CHECK_FALSE(message.has_object);

  event.Clear();
  event.set_type("snapshot");
  *event.add_items() = Item("a", "alice");
  *event.add_items() = Item("b", "bob");
  REQUIRE(codec.Decode(event.SerializeAsString(), &message).ok());
  REQUIRE(message.snapshot.size() == 2);
  CHECK(message.snapshot[1].key == "b");
  CHECK(message.snapshot[1].owner == "bob");

  CHECK_FALSE(codec.Decode("\xff\xff", &message).ok());
}

TEST_CASE("the gateway's own snapshots and deltas have the REST shape") {
  const StreamCodec codec(Watch());
  const auto bytes = Item("i1", "alice").SerializeAsString();
  CHECK(Json::parse(*codec.EventJson("deleted", bytes)) ==
        Json::parse(R"({"type":"deleted","item":{"id":"i1","owner":"alice","payload":"",
                        "version":"3"},"items":[],"note":""})"));
  CHECK(Json::parse(codec.SnapshotJson({})) ==
        Json::parse(R"({"type":"snapshot","items":[],"note":""})"));
  const auto one = std::make_shared<const std::string>(R"({"id":"x"})");
  const auto two = std::make_shared<const std::string>(R"({"id":"y"})");
  CHECK(Json::parse(codec.SnapshotJson({one, two})) ==
        Json::parse(R"({"type":"snapshot","items":[{"id":"x"},{"id":"y"}],"note":""})"));
}

TEST_CASE("?token= is taken out of an upgrade's query") {
  std::string rest;
  std::string token;
  CHECK(TakeQueryToken("a=1&token=x%2Ey&b=2", &rest, &token));
  CHECK(rest == "a=1&b=2");
  CHECK(token == "x.y");
  token.clear();
  CHECK(TakeQueryToken("tokens=1&&c", &rest, &token));
  CHECK(rest == "tokens=1&c");
  CHECK(token.empty());
  CHECK_FALSE(TakeQueryToken("token=%zz", &rest, &token));
}

TEST_CASE("the sign-in cookie is read from the Cookie headers and written with its attributes") {
  HttpRequest request;
  CHECK(CookieValue(request, "sid").empty());
  request.insert(boost::beast::http::field::cookie, "a=1; sidx=2");
  request.insert(boost::beast::http::field::cookie, "sid=t.o-k; b=3");
  CHECK(CookieValue(request, "sid") == "t.o-k");
  CHECK(CookieValue(request, "a") == "1");

  CookieSettings settings;
  const auto expires = std::chrono::system_clock::now() + std::chrono::hours(1);
  const auto set = SetCookieValue(settings, request, "tok", expires);
  CHECK(set.rfind("streamspace_session=tok; Path=/; Expires=", 0) == 0);
  CHECK((set.find("; Max-Age=3600;") != std::string::npos ||
         set.find("; Max-Age=3599;") != std::string::npos));
  CHECK(set.find("; HttpOnly; SameSite=Strict") != std::string::npos);
  CHECK(set.find("Secure") == std::string::npos);
  request.set("X-Forwarded-Proto", "HTTPS");
  CHECK(SetCookieValue(settings, request, "tok", std::nullopt) ==
        "streamspace_session=tok; Path=/; HttpOnly; SameSite=Strict; Secure");
  settings.secure = CookieSettings::Secure::kNever;
  CHECK(SetCookieValue(settings, request, "", std::nullopt) ==
        "streamspace_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
        "HttpOnly; SameSite=Strict");
}
