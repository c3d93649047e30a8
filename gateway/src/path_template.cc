#include "path_template.h"

#include <cctype>

namespace ss::gateway {
namespace {

bool IsIdentifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())))
    return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  }
  return true;
}

std::vector<std::string> SplitFieldPath(std::string_view text, std::string_view whole) {
  std::vector<std::string> path;
  while (true) {
    const auto dot = text.find('.');
    const auto part = text.substr(0, dot);
    if (!IsIdentifier(part)) {
      throw TemplateError("bad field path '" + std::string(text) + "' in " + std::string(whole));
    }
    path.emplace_back(part);
    if (dot == std::string_view::npos)
      return path;
    text.remove_prefix(dot + 1);
  }
}

PathSegment ParseSegment(std::string_view text, std::string_view whole) {
  if (text == "*")
    return {PathSegment::Kind::kSingle, {}};
  if (text == "**")
    return {PathSegment::Kind::kMulti, {}};
  if (text.empty())
    throw TemplateError("empty segment in " + std::string(whole));
  if (text.find_first_of("{}*=:") != std::string_view::npos) {
    // ':' would start a custom verb, which no StreamSpace API uses.
    throw TemplateError("unsupported segment '" + std::string(text) + "' in " + std::string(whole));
  }
  return {PathSegment::Kind::kLiteral, std::string(text)};
}

// Splits "a/{b=c/*}/d" on the slashes that are outside braces.
std::vector<std::string_view> SplitTopLevel(std::string_view text, std::string_view whole) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{')
      ++depth;
    if (text[i] == '}')
      --depth;
    if (depth < 0 || depth > 1)
      throw TemplateError("unbalanced braces in " + std::string(whole));
    if (text[i] == '/' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0)
    throw TemplateError("unbalanced braces in " + std::string(whole));
  parts.push_back(text.substr(start));
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace

PathTemplate ParsePathTemplate(std::string_view text) {
  if (text.size() < 2 || text.front() != '/') {
    throw TemplateError("path template must start with '/': " + std::string(text));
  }
  PathTemplate result;
  for (std::string_view part : SplitTopLevel(text.substr(1), text)) {
    result.openapi_path += '/';
    if (part.empty() || part.front() != '{') {
      result.segments.push_back(ParseSegment(part, text));
      result.openapi_path += part;
      continue;
    }
    if (part.back() != '}')
      throw TemplateError("bad variable '" + std::string(part) + "'");
    const auto inner = part.substr(1, part.size() - 2);
    const auto equals = inner.find('=');
    PathVariable variable;
    variable.field_path = SplitFieldPath(inner.substr(0, equals), text);
    variable.first = result.segments.size();
    if (equals == std::string_view::npos) {
      result.segments.push_back({PathSegment::Kind::kSingle, {}});
    } else {
      const auto pattern = inner.substr(equals + 1);
      std::size_t start = 0;
      while (true) {
        const auto slash = pattern.find('/', start);
        result.segments.push_back(ParseSegment(pattern.substr(start, slash - start), text));
        if (slash == std::string_view::npos)
          break;
        start = slash + 1;
      }
    }
    variable.last = result.segments.size();
    variable.multi_segment = variable.last - variable.first > 1 ||
                             result.segments.back().kind == PathSegment::Kind::kMulti;
    result.openapi_path += '{';
    result.openapi_path += inner.substr(0, equals);
    result.openapi_path += '}';
    result.variables.push_back(std::move(variable));
  }
  for (std::size_t i = 0; i + 1 < result.segments.size(); ++i) {
    if (result.segments[i].kind == PathSegment::Kind::kMulti) {
      throw TemplateError("'**' must be the last segment: " + std::string(text));
    }
  }
  for (std::size_t i = 0; i < result.variables.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (result.variables[i].field_path == result.variables[j].field_path) {
        throw TemplateError("variable bound twice in " + std::string(text));
      }
    }
  }
  return result;
}

bool PercentDecode(std::string_view in, bool keep_slash, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size())
      return false;
    const int high = HexValue(in[i + 1]);
    const int low = HexValue(in[i + 2]);
    if (high < 0 || low < 0)
      return false;
    const char decoded = static_cast<char>(high * 16 + low);
    if (keep_slash && decoded == '/') {
      out->append(in.substr(i, 3));
    } else {
      out->push_back(decoded);
    }
    i += 2;
  }
  return true;
}

}  // namespace ss::gateway
