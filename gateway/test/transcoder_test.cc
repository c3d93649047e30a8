#include "transcoder.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "descriptor_source.h"
#include "endpoint.h"
#include "openapi.h"
#include "streamspace/testing/v1/echo.pb.h"

using namespace ss::gateway;
namespace echo = streamspace::testing::v1;

namespace {

// The test binary links echo.proto, so its service is among the generated ones.
const std::vector<Endpoint>& Endpoints() {
  static DescriptorSource source({});
  static const std::vector<Endpoint> endpoints = BuildEndpoints(source);
  return endpoints;
}

const Endpoint& Find(const std::string& operation_id) {
  for (const auto& endpoint : Endpoints()) {
    if (endpoint.operation_id == operation_id)
      return endpoint;
  }
  FAIL("no endpoint " << operation_id);
  throw std::logic_error("unreachable");
}

template <typename Message>
grpc::Status Build(const std::string& operation_id, HttpInput input, Message* message) {
  std::string bytes;
  auto status = BuildRequest(Find(operation_id), input, &bytes);
  if (status.ok())
    REQUIRE(message->ParseFromString(bytes));
  return status;
}

HttpInput Query(std::string_view query) {
  HttpInput input;
  input.query = query;
  return input;
}

}  // namespace

TEST_CASE("every binding of the echo service becomes an endpoint") {
  int echo_endpoints = 0;
  for (const auto& endpoint : Endpoints()) {
    if (endpoint.backend == "echo")
      ++echo_endpoints;
  }
  // 25 REST bindings and 6 WebSocket routes; Publish and GetStreamStats have no http rule.
  CHECK(echo_endpoints == 31);
  const auto& get = Find("EchoService.GetItem_1");
  CHECK(get.http_method == "GET");
  CHECK(get.path_text == "/echo/v1/items/{outer.inner.id=shelves/*/items/*}");
  CHECK(get.rpc_name == "/streamspace.testing.v1.EchoService/GetItem");
  CHECK(Find("EchoService.GetItem_2").http_method == "DELETE");
  const auto& hook = Find("EchoService.Hook");
  CHECK(hook.raw_body);
  REQUIRE(hook.header_fields.size() == 2);
  CHECK(hook.header_fields[0].header == "X-Hub-Signature-256");
  CHECK(Find("EchoService.GetStats").access == streamspace::api::v1::ADMIN);
  CHECK_FALSE(get.websocket);
}

TEST_CASE("server-streaming methods with a WebSocket option become WebSocket endpoints") {
  const auto& watch = Find("EchoService.WatchItems");
  CHECK(watch.websocket);
  CHECK(watch.stream.shared);
  REQUIRE(watch.stream.object_path.size() == 1);
  CHECK(watch.stream.object_path[0]->name() == "item");
  CHECK(watch.stream.key->name() == "id");
  CHECK(watch.stream.owner->name() == "owner");
  CHECK(watch.stream.snapshot->name() == "items");
  const auto& ticks = Find("EchoService.WatchTicks");
  CHECK(ticks.stream.shared);
  CHECK(ticks.stream.object_path.empty());
  const auto& follow = Find("EchoService.FollowItem");
  CHECK_FALSE(follow.stream.shared);
  REQUIRE(follow.header_fields.size() == 1);
  CHECK(follow.header_fields[0].header == "User-Agent");
  CHECK_FALSE(watch.stream.has_seed());
  CHECK_FALSE(ticks.stream.has_seed());
  CHECK(Find("EchoService.WatchItemLists").stream.seed_list_type == "items_update");
  CHECK(Find("EchoService.WatchTickValues").stream.seed_value->name() == "payload");
  CHECK(Find("EchoService.FollowItemValues").stream.seed_value->name() == "user");
}

TEST_CASE("response_body and session_cookie are read from the method's options") {
  CHECK(Find("EchoService.ListItems").response_field->name() == "items");
  CHECK(Find("EchoService.ListItems_1").response_field->name() == "first");
  CHECK(Find("EchoService.ListItems_2").response_field == nullptr);
  const auto& sign_in = Find("EchoService.SignIn").cookie;
  CHECK(sign_in.token->name() == "token");
  CHECK(sign_in.expires->name() == "expires_at");
  CHECK_FALSE(sign_in.clear);
  CHECK(Find("EchoService.SignOut").cookie.clear);
  CHECK_FALSE(Find("EchoService.GetItem").cookie.any());

  echo::ItemList list;
  list.add_items()->set_name("a");
  list.set_shelf("s");
  std::string json;
  REQUIRE(ResponseToJson(Find("EchoService.ListItems"), list.SerializeAsString(), &json).ok());
  CHECK(json == R"([{"name":"a","size":0,"labels":[]}])");
  REQUIRE(ResponseToJson(Find("EchoService.ListItems_1"), list.SerializeAsString(), &json).ok());
  CHECK(json == "null");
}

TEST_CASE("the browser sign-in options are read from the method's options") {
  CHECK(Find("EchoService.PostForm").form_body);
  CHECK_FALSE(Find("EchoService.CreateItem").form_body);
  CHECK(Find("EchoService.GetRawQuery").raw_query->name() == "query");
  CHECK(Find("EchoService.Search").raw_query == nullptr);
  const auto& go = Find("EchoService.Go").redirect;
  CHECK(go.location->name() == "location");
  CHECK(go.status == 302);
  CHECK(go.json_when_accepted);
  CHECK(Find("EchoService.FinishSignIn").redirect.status == 303);
  CHECK_FALSE(Find("EchoService.FinishSignIn").redirect.json_when_accepted);
  const auto& raw = Find("EchoService.GetDocument").raw_response;
  CHECK(raw.body->name() == "xml");
  CHECK(raw.content_type == "application/samlmetadata+xml");
  CHECK(Find("EchoService.GetCredential").cookie_credential);
  CHECK_FALSE(Find("EchoService.GetMine").cookie_credential);
}

TEST_CASE("a form body sets fields as a query does; a raw query is one field") {
  echo::FormRequest form;
  HttpInput input;
  input.body = "SAMLResponse=a%2Bb+c&count=2&tags=x&tags=y";
  REQUIRE(Build("EchoService.PostForm", input, &form).ok());
  CHECK(form.saml_response() == "a+b c");
  CHECK(form.count() == 2);
  CHECK(form.tags_size() == 2);
  input.body = "nope=x";
  auto status = Build("EchoService.PostForm", input, &form);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "unknown form field 'nope'");

  echo::RawQueryRequest raw;
  input = Query("SAMLRequest=a%2B&Signature=b");
  input.path_values = {"r"};
  REQUIRE(Build("EchoService.GetRawQuery", input, &raw).ok());
  CHECK(raw.query() == "SAMLRequest=a%2B&Signature=b");
  CHECK(raw.id() == "r");
}

TEST_CASE("query parameters set scalars, repeated, nested, enums, wrappers") {
  echo::SearchRequest request;
  const auto status = Build("EchoService.Search",
                            Query("tags=a&tags=b%20c&tags=d+e&filter.min=3&color=GREEN&exact=true&"
                                  "pageSize=20&page_token=t&since=123&ids=1&ids=2&archived=false&"
                                  "blob=AAE=&ratio=0.5&limit=7"),
                            &request);
  REQUIRE(status.ok());
  CHECK(request.tags_size() == 3);
  CHECK(request.tags(1) == "b c");
  CHECK(request.tags(2) == "d e");
  CHECK(request.filter().min() == 3);
  CHECK(request.color() == echo::GREEN);
  CHECK(request.exact());
  CHECK(request.page_size() == 20);
  CHECK(request.page_token() == "t");
  CHECK(request.since() == 123);
  CHECK(request.ids_size() == 2);
  REQUIRE(request.has_archived());
  CHECK_FALSE(request.archived().value());
  CHECK(request.blob() == std::string("\0\1", 2));
  CHECK(request.ratio() == 0.5);
  CHECK(request.limit() == 7);
}

TEST_CASE("bad query parameters are INVALID_ARGUMENT") {
  echo::SearchRequest request;
  for (const char* query :
       {"nope=1", "pageSize=abc", "pageSize=99999999999", "limit=-1", "color=PURPLE", "exact=maybe",
        "filter=1", "filter.nope=1", "blob=!!", "tags=%zz", "ratio=x"}) {
    INFO(query);
    const auto status = Build("EchoService.Search", Query(query), &request);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  CHECK(Build("EchoService.Search", Query("nope=1"), &request).error_message() ==
        "unknown query parameter 'nope'");
}

TEST_CASE("a route without a body refuses one instead of dropping what it sets") {
  echo::SearchRequest request;
  HttpInput input = Query("limit=7");
  input.body = R"({"limit": 8})";
  const auto status = Build("EchoService.Search", input, &request);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "this route takes no body: send its fields as query parameters");
  // axios sends the JSON null for post(url, null, {params}).
  for (const char* none : {"", "null", " null\n"}) {
    INFO(none);
    input.body = none;
    REQUIRE(Build("EchoService.Search", input, &request).ok());
    CHECK(request.limit() == 7);
  }
}

TEST_CASE("path variables set nested fields; the query cannot set them again") {
  echo::GetItemRequest request;
  HttpInput input = Query("view=full");
  input.path_values = {"a/b"};
  REQUIRE(Build("EchoService.GetItem", input, &request).ok());
  CHECK(request.outer().inner().id() == "a/b");
  CHECK(request.view() == "full");
  input.query = "outer.inner.id=x";
  CHECK_FALSE(Build("EchoService.GetItem", input, &request).ok());
}

TEST_CASE("body: \"field\" fills that field only") {
  echo::UpdateItemRequest request;
  HttpInput input = Query("validateOnly=true");
  input.path_values = {"i1"};
  input.body = R"({"name":"n","size":3,"labels":["x"]})";
  REQUIRE(Build("EchoService.UpdateItem", input, &request).ok());
  CHECK(request.id() == "i1");
  CHECK(request.item().name() == "n");
  CHECK(request.item().size() == 3);
  CHECK(request.validate_only());

  for (const char* body :
       {R"({"name":"n"},"id":"x")", R"({"bogus":1})", R"({"size":"big"})", "{", "null1"}) {
    INFO(body);
    input.body = body;
    CHECK(Build("EchoService.UpdateItem", input, &request).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
  }
  input.body = "{}";
  input.query = "item.name=x";
  CHECK_FALSE(Build("EchoService.UpdateItem", input, &request).ok());
}

TEST_CASE("body: \"*\" is the whole message, and the path overrides it") {
  echo::CreateItemRequest request;
  HttpInput input;
  input.body = R"({"item":{"name":"x"},"note":"n","shelf":"from-body"})";
  REQUIRE(Build("EchoService.CreateItem", input, &request).ok());
  CHECK(request.item().name() == "x");
  CHECK(request.shelf() == "from-body");
  input.path_values = {"s1"};
  REQUIRE(Build("EchoService.CreateItem_1", input, &request).ok());
  CHECK(request.shelf() == "s1");
  CHECK(request.note() == "n");

  input.path_values.clear();
  input.query = "note=q";
  CHECK(Build("EchoService.CreateItem", input, &request).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  input.query = {};
  for (const char* body :
       {R"({"item":)", R"({"unknown":1})", R"({"item":{"size":"abc"}})", R"([1,2])"}) {
    INFO(body);
    input.body = body;
    const auto status = Build("EchoService.CreateItem", input, &request);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("invalid JSON body", 0) == 0);
  }
  input.body = {};
  CHECK(Build("EchoService.CreateItem", input, &request).ok());
}

TEST_CASE("raw bodies keep their exact bytes, and headers fill their fields") {
  echo::HookRequest request;
  HttpInput input = Query("delivery=d1");
  const std::string payload("{\"not\": json\0\xff", 15);
  input.body = payload;
  input.path_values = {"git"};
  input.header_values = {std::string_view("sha256=abc"), std::nullopt};
  REQUIRE(Build("EchoService.Hook", input, &request).ok());
  CHECK(request.payload() == payload);
  CHECK(request.source() == "git");
  CHECK(request.signature() == "sha256=abc");
  CHECK(request.event().empty());
  CHECK(request.delivery() == "d1");
}

TEST_CASE("responses print lowerCamelCase with zero values, 64-bit ints as strings") {
  echo::Echo reply;
  reply.set_count(int64_t{1} << 40);
  std::string json;
  REQUIRE(ResponseToJson(Find("EchoService.Search"), reply.SerializeAsString(), &json).ok());
  const auto parsed = nlohmann::json::parse(json);
  CHECK(parsed["count"] == "1099511627776");
  CHECK(parsed["requestJson"] == "");
  CHECK(parsed["authorized"] == false);
}

TEST_CASE("the OpenAPI document lists every endpoint") {
  std::vector<const Endpoint*> endpoints;
  for (const auto& endpoint : Endpoints())
    endpoints.push_back(&endpoint);
  const auto document = nlohmann::json::parse(BuildOpenApi(endpoints, "1.2.3"));
  CHECK(document["openapi"] == "3.0.3");
  CHECK(document["info"]["version"] == "1.2.3");
  const auto& paths = document["paths"];
  for (const auto& endpoint : Endpoints()) {
    INFO(endpoint.path.openapi_path);
    std::string method = endpoint.http_method;
    for (auto& c : method)
      c = static_cast<char>(std::tolower(c));
    CHECK(paths[endpoint.path.openapi_path].contains(method));
  }
  const auto& get = paths["/echo/v1/outers/{outer.inner.id}/item"]["get"];
  CHECK(get["security"] == nlohmann::json::array());
  CHECK(get["parameters"][0]["name"] == "outer.inner.id");
  CHECK(get["parameters"][0]["in"] == "path");
  CHECK_FALSE(paths["/echo/v1/admin/stats"]["get"].contains("security"));
  const auto& echo_schema = document["components"]["schemas"]["streamspace.testing.v1.Echo"];
  CHECK(echo_schema["properties"]["requestJson"]["type"] == "string");
  CHECK(echo_schema["properties"]["count"]["format"] == "int64");
  CHECK(document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
  CHECK(paths.contains("/health"));
}
