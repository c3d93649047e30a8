#include "route_table.h"

#include <catch2/catch.hpp>

#include "path_template.h"

using namespace ss::gateway;

namespace {

PathSegments Split(std::string_view path) {
  PathSegments segments;
  REQUIRE(SplitPath(path, &segments));
  return segments;
}

}  // namespace

TEST_CASE("path templates parse into segments and variables") {
  const auto simple = ParsePathTemplate("/api/v1/users/{id}");
  REQUIRE(simple.segments.size() == 4);
  CHECK(simple.segments[2].literal == "users");
  CHECK(simple.segments[3].kind == PathSegment::Kind::kSingle);
  REQUIRE(simple.variables.size() == 1);
  CHECK(simple.variables[0].field_path == std::vector<std::string>{"id"});
  CHECK(simple.variables[0].first == 3);
  CHECK(simple.variables[0].last == 4);
  CHECK_FALSE(simple.variables[0].multi_segment);
  CHECK(simple.openapi_path == "/api/v1/users/{id}");

  const auto nested = ParsePathTemplate("/v1/{name=shelves/*}/books/{book.id}");
  REQUIRE(nested.segments.size() == 5);
  REQUIRE(nested.variables.size() == 2);
  CHECK(nested.variables[0].first == 1);
  CHECK(nested.variables[0].last == 3);
  CHECK(nested.variables[0].multi_segment);
  CHECK(nested.variables[1].field_path == std::vector<std::string>{"book", "id"});
  CHECK(nested.openapi_path == "/v1/{name}/books/{book.id}");

  const auto rest = ParsePathTemplate("/files/{path=**}");
  CHECK(rest.segments.back().kind == PathSegment::Kind::kMulti);
  CHECK(rest.variables[0].multi_segment);
}

TEST_CASE("bad path templates are refused") {
  for (const char* bad : {"users", "/", "/a/**/b", "/a/{b", "/a/{1x}", "/a/b:verb", "/a//b",
                          "/a/{b}/{b}", "/a/{b={c}}"}) {
    INFO(bad);
    CHECK_THROWS_AS(ParsePathTemplate(bad), TemplateError);
  }
}

TEST_CASE("route table: literals win, methods, 404 and 405") {
  RouteTable table;
  table.Add(ParsePathTemplate("/users/me"), "GET", 0);
  table.Add(ParsePathTemplate("/users/{id}"), "GET", 1);
  table.Add(ParsePathTemplate("/users/{id}"), "DELETE", 2);
  table.Add(ParsePathTemplate("/users"), "GET", 3);
  table.Add(ParsePathTemplate("/users"), "POST", 4);
  table.Add(ParsePathTemplate("/files/{path=**}"), "GET", 5);
  table.Add(ParsePathTemplate("/v1/{name=shelves/*}/books/{book.id}"), "GET", 6);
  CHECK_THROWS_AS(table.Add(ParsePathTemplate("/users/{other}"), "GET", 7), TemplateError);

  const auto found = [&](std::string_view method, std::string_view path) {
    const auto match = table.Find(method, Split(path));
    REQUIRE(match.result == RouteMatch::Result::kFound);
    return match.route;
  };
  CHECK(found("GET", "/users/me") == 0);
  CHECK(found("GET", "/users/alice") == 1);
  // The literal has no DELETE: the variable route takes it.
  CHECK(found("DELETE", "/users/me") == 2);
  CHECK(found("POST", "/users") == 4);
  CHECK(found("GET", "/files/a/b/c") == 5);
  CHECK(found("GET", "/v1/shelves/s1/books/b2") == 6);

  CHECK(table.Find("PUT", Split("/users/me")).result == RouteMatch::Result::kWrongMethod);
  CHECK(table.AllowedMethods(Split("/users/me")) == "DELETE, GET");
  CHECK(table.AllowedMethods(Split("/users")) == "GET, POST");
  CHECK(table.Find("GET", Split("/nope")).result == RouteMatch::Result::kNotFound);
  CHECK(table.Find("GET", Split("/users/")).result == RouteMatch::Result::kNotFound);
  CHECK(table.Find("GET", Split("/files")).result == RouteMatch::Result::kNotFound);
  CHECK(table.Find("GET", Split("/v1/racks/s1/books/b2")).result == RouteMatch::Result::kNotFound);
  CHECK(table.AllowedMethods(Split("/nope")).empty());
}

TEST_CASE("variables are percent-decoded after the path is split") {
  std::vector<std::string> values;
  const auto single = ParsePathTemplate("/labels/{key}");
  REQUIRE(ExtractVariables(single, Split("/labels/a.b%2Fc"), &values));
  CHECK(values == std::vector<std::string>{"a.b/c"});
  REQUIRE(ExtractVariables(single, Split("/labels/caf%C3%A9%20x"), &values));
  CHECK(values[0] == "caf\xC3\xA9 x");
  CHECK_FALSE(ExtractVariables(single, Split("/labels/%zz"), &values));
  CHECK_FALSE(ExtractVariables(single, Split("/labels/%4"), &values));

  // Several segments: an encoded slash stays encoded, so it is not taken for a separator.
  const auto multi = ParsePathTemplate("/files/{path=**}");
  REQUIRE(ExtractVariables(multi, Split("/files/a%2Fb/c%20d"), &values));
  CHECK(values == std::vector<std::string>{"a%2Fb/c d"});

  const auto nested = ParsePathTemplate("/v1/{name=shelves/*}/books/{book.id}");
  REQUIRE(ExtractVariables(nested, Split("/v1/shelves/s%201/books/b2"), &values));
  CHECK(values == std::vector<std::string>{"shelves/s 1", "b2"});
}

TEST_CASE("SplitPath needs a leading slash") {
  PathSegments segments;
  CHECK_FALSE(SplitPath("users", &segments));
  CHECK_FALSE(SplitPath("", &segments));
  REQUIRE(SplitPath("/a/b", &segments));
  CHECK(segments.size() == 2);
}
