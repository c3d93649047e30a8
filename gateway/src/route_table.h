// The route table: a trie of path segments built once at start-up. Literal segments win over
// variables ("/users/me" before "/users/{id}"), "*" over "**".
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "path_template.h"

namespace ss::gateway {

// A request path split on '/', still percent-encoded; views into the request target.
using PathSegments = boost::container::small_vector<std::string_view, 12>;

// Splits "/a/b" into {"a", "b"}; false unless the path starts with '/'.
bool SplitPath(std::string_view path, PathSegments* segments);

struct RouteMatch {
  enum class Result { kFound, kWrongMethod, kNotFound };
  Result result = Result::kNotFound;
  // The value given to Add, when found.
  std::size_t route = 0;
};

class RouteTable {
 public:
  RouteTable();
  ~RouteTable();
  RouteTable(RouteTable&&) noexcept;
  RouteTable& operator=(RouteTable&&) noexcept;

  // Adds a route; throws TemplateError if the same method and path shape is already taken.
  void Add(const PathTemplate& path, std::string_view http_method, std::size_t route);

  RouteMatch Find(std::string_view http_method, const PathSegments& segments) const;

  // Every method served on this path, sorted, as for an `Allow` header ("GET, POST"); empty if
  // no route has this path.
  std::string AllowedMethods(const PathSegments& segments) const;

  // A trie node (defined with the matching code).
  struct Node;

 private:
  std::unique_ptr<Node> root_;
};

// The values of the template's variables, percent-decoded, in the order of path.variables.
// False when a value is empty or badly encoded.
bool ExtractVariables(const PathTemplate& path, const PathSegments& segments,
                      std::vector<std::string>* values);

}  // namespace ss::gateway
