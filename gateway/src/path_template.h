// google.api.http path templates: "/v1/{name=shelves/*}/books/{book.id}", parsed once at start-up.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ss::gateway {

struct PathSegment {
  enum class Kind {
    kLiteral,  // "users"
    kSingle,   // "*": exactly one segment
    kMulti,    // "**": the rest of the path, zero or more segments
  };
  Kind kind = Kind::kLiteral;
  std::string literal;
};

// A variable binds the request segments [first, last) of the template to a (nested) field.
struct PathVariable {
  std::vector<std::string> field_path;
  std::size_t first = 0;
  std::size_t last = 0;
  // Spans several segments ("{name=shelves/*}", "{path=**}"): "%2F" stays encoded in its value.
  bool multi_segment = false;
};

struct PathTemplate {
  std::vector<PathSegment> segments;
  std::vector<PathVariable> variables;
  // The template with each variable written as "{field.path}" (OpenAPI's form).
  std::string openapi_path;
};

// Thrown at start-up for a template the gateway does not serve.
class TemplateError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

PathTemplate ParsePathTemplate(std::string_view text);

// Decodes %XX escapes. With keep_slash, "%2F" stays as written (multi-segment variables).
// Returns false on a malformed escape.
bool PercentDecode(std::string_view in, bool keep_slash, std::string* out);

}  // namespace ss::gateway
